package org.nixbuildshell.plan;

import java.util.List;

/**
 * What the sandbox of one range of Nix versions looks like, as measured with
 * real builds (DESIGN.md, "What newer Nix changes inside the sandbox"). Data,
 * not behaviour: the launcher's planner turns it into setup steps and mounts,
 * init applies the process settings. A new Nix version is a new record in the
 * launcher's table.
 *
 * @param name             the measured version that names the profile, e.g. "2.26"
 * @param since            the first Nix version it describes, e.g. "2.15"
 * @param rootMode         mode of {@code /}
 * @param etcMode          mode of {@code /etc}: 0555 from Nix 2.15, 0755 before
 * @param sandboxShell     the {@code /bin/sh} this build of Nix binds when nix.conf's sandbox-paths names
 *                         none (Debian's 2.26 and 2.34: /usr/bin/bash-static), or null for none
 * @param devices          the host devices Nix binds into {@code /dev}, when the host has them
 * @param bindSingleFiles  Nix bind-mounts single-file inputs (2.26+) rather than linking or copying them
 *                         into the chroot (2.8). The tool binds them either way (a copy of a large source
 *                         tarball at every start would cost what the bind saves); the README lists it
 * @param umask            the builder's umask
 * @param coreLimit        RLIMIT_CORE for the builder
 * @param personality      personality(2) flags set for every build (ADDR_NO_RANDOMIZE)
 * @param noNewPrivs       PR_SET_NO_NEW_PRIVS for the builder
 * @param seccompRules     name of the seccomp rule set init installs
 */
public record SandboxProfile(
        String name,
        String since,
        int rootMode,
        int etcMode,
        String sandboxShell,
        List<String> devices,
        boolean bindSingleFiles,
        int umask,
        long coreLimit,
        int personality,
        boolean noNewPrivs,
        String seccompRules) {

    /** personality(2): no address space randomisation, which Nix sets for every build. */
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;
    /** personality(2): a 32-bit uname machine, which Nix sets for i686-linux builds. */
    public static final int PER_LINUX32 = 0x0008;

    public SandboxProfile {
        devices = List.copyOf(devices);
    }
}
