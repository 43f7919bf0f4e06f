package org.nixbuildshell.launcher.workcopy;

import java.nio.file.Path;
import org.nixbuildshell.sys.LinuxLibc;

/**
 * Where working copies live: {@code --tmpdir DIR} gives {@code DIR/nix-build-shell.work}; else
 * {@code $XDG_CACHE_HOME/nix-build-shell} when set, {@code /var/cache/nix-build-shell} for root and
 * {@code ~/.cache/nix-build-shell} for others. The name in a --tmpdir does not start with
 * "nix-build-shell-", so stale-root cleanup never takes it for a temp root.
 */
public final class CacheDir {
    private CacheDir() {}

    public static Path of(Path tmpdirOption) {
        if (tmpdirOption != null) {
            return tmpdirOption.toAbsolutePath().resolve("nix-build-shell.work");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "nix-build-shell");
        }
        if (LinuxLibc.getuid() == 0) {
            return Path.of("/var/cache/nix-build-shell");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "nix-build-shell");
    }
}
