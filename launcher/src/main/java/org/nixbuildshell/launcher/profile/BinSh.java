package org.nixbuildshell.launcher.profile;

import java.util.function.Predicate;

/**
 * Where the sandbox's {@code /bin/sh} comes from. Nix binds what its
 * {@code sandbox-paths} name: the host's nix.conf, else the default its build
 * was configured with (the profile's sandbox shell: Debian's 2.26 and 2.34 use
 * bash-static). Where neither names one (Debian's 2.8), the build's SHELL is
 * bound, as Nix on NixOS would bind a shell there and builders expect one.
 *
 * @param source the host path bound at /bin/sh
 * @param why    where it comes from, in words
 */
public record BinSh(String source, String why) {

    /**
     * @param sandboxPaths what the host's nix.conf binds at /bin/sh, or null
     * @param shell        the build's SHELL
     * @param exists       whether a host path exists
     */
    public static BinSh choose(SandboxProfile profile, String sandboxPaths, String shell, Predicate<String> exists) {
        if (sandboxPaths != null && exists.test(sandboxPaths)) {
            return new BinSh(sandboxPaths, "sandbox-paths in the host's nix.conf");
        }
        if (profile.sandboxShell() != null && exists.test(profile.sandboxShell())) {
            return new BinSh(profile.sandboxShell(), "Nix " + profile.name() + "'s sandbox shell, as Debian builds it");
        }
        String missing = sandboxPaths != null ? sandboxPaths + " (sandbox-paths) is missing; "
                : profile.sandboxShell() != null ? profile.sandboxShell() + " is missing; " : "";
        return new BinSh(shell, missing + "the build's SHELL, as no sandbox-paths name one");
    }
}
