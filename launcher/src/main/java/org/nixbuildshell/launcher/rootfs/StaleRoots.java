package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.nixbuildshell.sys.LinuxLibc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes temp roots left by launchers that were killed (SIGKILL leaves no
 * chance to clean up): ours, not marked kept, whose owner process is gone.
 */
public final class StaleRoots {
    private static final Logger log = LoggerFactory.getLogger(StaleRoots.class);

    private StaleRoots() {}

    public static void clean(Path tmpdir) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmpdir, TempRoot.PREFIX + "*")) {
            for (Path dir : dirs) {
                if (isStale(dir)) {
                    log.info("cleanup: removing {} left by a launcher that is gone", dir);
                    try {
                        Trees.deleteRecursively(dir);
                    } catch (IOException e) {
                        log.warn("could not remove the stale temp root {}: {}", dir, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            log.debug("cleanup: cannot list {}: {}", tmpdir, e.getMessage());
        }
    }

    private static boolean isStale(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != LinuxLibc.getuid()
                    || Files.exists(dir.resolve("kept"))) {
                return false;
            }
            Path owner = dir.resolve("owner");
            return Files.exists(owner) && !ProcessIdentity.alive(Files.readString(owner));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
