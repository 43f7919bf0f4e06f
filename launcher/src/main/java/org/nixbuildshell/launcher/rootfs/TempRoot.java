package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.sys.Sys;

/**
 * The launcher's temporary directory, {@code TMPDIR/nix-build-shell-XXXX}:
 * <pre>
 *   owner   pid and start time of the launcher, for stale-root cleanup
 *   kept    present when --keep-root asked to keep it
 *   root/   the new /: build (the copy), tmp, nix/store, etc, dev, proc, bin
 * </pre>
 */
public final class TempRoot implements RootLayout {
    public static final String PREFIX = "nix-build-shell-";

    private final Path dir;

    private TempRoot(Path dir) {
        this.dir = dir;
    }

    /** Through {@link Sys}: a full disk or a refusal is a SyscallException with the real errno. */
    public static TempRoot create(Path tmpdir) {
        Path dir = Path.of(Sys.mkdtemp(tmpdir.resolve(PREFIX).toString()));
        TempRoot temp = new TempRoot(dir);
        try {
            Sys.createFile(dir.resolve("owner").toString(), ProcessIdentity.self().getBytes(StandardCharsets.US_ASCII), 0600);
            Sys.mkdirs(dir.resolve("root").toString(), 0700);
        } catch (RuntimeException e) {
            temp.deleteQuietly();
            throw e;
        }
        return temp;
    }

    @Override
    public Path dir() {
        return dir;
    }

    public void markKept() {
        Sys.createFile(dir.resolve("kept").toString(), "kept by --keep-root\n".getBytes(StandardCharsets.US_ASCII), 0644);
    }

    public boolean isKept() {
        return Files.exists(dir.resolve("kept"));
    }

    public void delete() throws IOException {
        Trees.deleteRecursively(dir);
    }

    private void deleteQuietly() {
        try {
            delete();
        } catch (IOException ignored) {
            // what could not be removed, stale-root cleanup removes on a later run
        }
    }
}
