package org.nixbuildshell.launcher.profile;

import java.util.List;
import org.nixbuildshell.plan.SandboxProfile;

/**
 * The sandboxes of the Nix versions measured with real builds by Debian's
 * Nix 2.8.0, 2.26.3 and 2.34.8 (DESIGN.md): one record each, oldest first.
 * A record holds from its {@code since} version up to the next record's.
 */
public final class NixProfiles {
    private static final List<String> DEVICES = List.of("full", "kvm", "null", "random", "tty", "urandom", "zero", "ptmx");
    /** Nix's rules: no setuid/setgid modes, no extended attributes (ACLs); the same from 2.8 to 2.34. */
    static final String SECCOMP = "nix-2.8";
    private static final int PERSONALITY = SandboxProfile.ADDR_NO_RANDOMIZE;

    public static final List<SandboxProfile> ALL = List.of(
        // Debian's 2.8 binds no /bin/sh; single-file inputs are copied into the chroot
        new SandboxProfile("2.8", "2.0", 0750, 0755, null, DEVICES, false, 022, 0, PERSONALITY, true, SECCOMP),
        // /etc is 0555 from 2.15; Debian builds it with sandbox-shell /usr/bin/bash-static; single files are bound
        new SandboxProfile("2.26", "2.15", 0750, 0555, "/usr/bin/bash-static", DEVICES, true, 022, 0, PERSONALITY, true, SECCOMP),
        // 2.32 moved the build directory (nix-PID-RANDOM); the sandbox itself measured as 2.26's
        new SandboxProfile("2.34", "2.32", 0750, 0555, "/usr/bin/bash-static", DEVICES, true, 022, 0, PERSONALITY, true, SECCOMP));

    private NixProfiles() {}

    /** The newest profile whose {@code since} is not after {@code version}. */
    public static SandboxProfile forVersion(NixVersion version) {
        SandboxProfile chosen = ALL.get(0);
        for (SandboxProfile p : ALL) {
            if (NixVersion.of(p.since()).compareTo(version) <= 0) {
                chosen = p;
            }
        }
        return chosen;
    }

    /** The newest version that was measured. */
    public static NixVersion newestMeasured() {
        return NixVersion.of(ALL.get(ALL.size() - 1).name());
    }

    /** The oldest version that was measured. */
    public static NixVersion oldestMeasured() {
        return NixVersion.of(ALL.get(0).name());
    }
}
