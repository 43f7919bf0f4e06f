package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.status.ToolError;

/**
 * Working copies whose kept directory is gone (removed, or replaced by a newer failed build at
 * the same path): the changes in them are the user's, so they are named, never removed silently.
 */
public final class Orphans {
    private Orphans() {}

    /** Complete copies under {@code base} made from a kept directory at {@code path}, except {@code exceptName}. */
    static List<Path> copiesOf(Path path, Path base, String exceptName) {
        List<Path> found = new ArrayList<>();
        String wanted = path.toAbsolutePath().normalize().toString();
        try (var dirs = Files.newDirectoryStream(base)) {
            for (Path dir : dirs) {
                String source = WorkCopy.readSource(dir);
                if (!dir.getFileName().toString().equals(exceptName) && Files.exists(dir.resolve("complete"))
                        && (source.equals(wanted) || source.startsWith(wanted + "/"))) {
                    found.add(dir);
                }
            }
        } catch (IOException e) {
            // no cache yet
        }
        return found;
    }

    /** BUILD_DIR does not exist: when a working copy of it is left, say where, in the hint. */
    public static ToolError explainMissing(ToolError missing, Path given, Path tmpdirOption) {
        List<Path> left = copiesOf(given, CacheDir.of(tmpdirOption), "");
        if (left.isEmpty()) {
            return missing;
        }
        return new ToolError(missing.exitCode(), missing.getMessage() + "; its working copy is still at " + left.get(0),
                "the kept directory is gone, so the copy cannot be used again; take what you changed from "
                        + left.get(0).resolve("root/build") + ", then remove " + left.get(0));
    }
}
