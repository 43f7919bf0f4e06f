package org.nixbuildshell.launcher.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.nixbuildshell.launcher.profile.SandboxPaths;

/**
 * What the planner must know of this machine: which host paths exist (the
 * devices Nix binds, a sandbox shell, resolv.conf…) and what the host's
 * nix.conf binds at /bin/sh. Probed once by the launcher, so that the planner
 * is a function of the build, the profile, the request and these facts alone.
 *
 * @param exists        whether a host path exists
 * @param sandboxPathsSh what sandbox-paths in the host's nix.conf binds at /bin/sh, or null
 */
public record Host(Predicate<String> exists, String sandboxPathsSh) {

    /** This machine. */
    public static Host probe() {
        return new Host(path -> Files.exists(Path.of(path)), SandboxPaths.binSh());
    }
}
