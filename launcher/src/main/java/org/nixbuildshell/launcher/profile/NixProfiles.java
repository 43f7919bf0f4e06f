package org.nixbuildshell.launcher.profile;

import java.util.List;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.seccomp.SeccompRule;
import org.nixbuildshell.seccomp.SeccompRules;

/**
 * The sandboxes of the Nix versions, one row each, oldest first; a row holds from its {@code since}
 * up to the next row's. 2.8, 2.26 and 2.34 were measured with real builds by Debian's Nix 2.8.0,
 * 2.26.3 and 2.34.8; the others were read from Nix's source (docs/ARCHITECTURE.md, "Profiles").
 */
public final class NixProfiles {
    private static final List<String> DEVICES = List.of("full", "kvm", "null", "random", "tty", "urandom", "zero", "ptmx");
    private static final String BASH_STATIC = "/usr/bin/bash-static";

    /**
     * Nix 2.35 also refuses reading and listing extended attributes (its source; the get* calls since
     * 2.24 by the same source, but the 2.26 and 2.34 sandboxes measured here are kept as measured).
     */
    static final SeccompRules RULES_2_35 = SeccompRules.NIX_2_8.plus("nix-2.35",
            SeccompRule.deny(SeccompRule.ENOTSUP, "getxattr", "lgetxattr", "fgetxattr"),
            SeccompRule.deny(SeccompRule.ENOTSUP, "listxattr", "llistxattr", "flistxattr"));

    // Debian's 2.8 binds no /bin/sh; single-file inputs are copied into the chroot (the tool binds them)
    private static final SandboxProfile NIX_2_8 = new SandboxProfile("2.8", "2.0", true, 0750, 0755, null, DEVICES,
            022, 0, ProcessSettings.ADDR_NO_RANDOMIZE, true, SeccompRules.NIX_2_8, List.of());
    // /etc is 0555 from 2.15; Debian builds it with sandbox-shell /usr/bin/bash-static; Landlock from 2.31.4
    private static final SandboxProfile NIX_2_26 = NIX_2_8.derive("2.26", "2.15").etcMode(0555)
            .sandboxShell(BASH_STATIC).landlockFrom("2.31.4").build();
    // 2.32 moved the build directory (nix-PID-RANDOM); the sandbox itself measured as 2.26's
    private static final SandboxProfile NIX_2_34 = NIX_2_26.derive("2.34", "2.32")
            .landlockFrom("2.32.7", "2.33.4", "2.34.5").build();
    private static final SandboxProfile NIX_2_35 = NIX_2_34.derive("2.35", "2.35").readFromSource().seccomp(RULES_2_35)
            .landlockFrom("2.35.0").build();

    public static final List<SandboxProfile> ALL = List.of(NIX_2_8, NIX_2_26, NIX_2_34, NIX_2_35);

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

    /** The newest version a profile describes. */
    public static NixVersion newest() {
        return NixVersion.of(ALL.get(ALL.size() - 1).name());
    }

    /** The oldest version a profile was measured for. */
    public static NixVersion oldestMeasured() {
        return NixVersion.of(ALL.get(0).name());
    }
}
