package org.nixbuildshell.launcher.profile;

import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The launcher's one call: the profile for this run, said with its reason at -v. */
public final class SandboxProfiles {
    private static final Logger log = LoggerFactory.getLogger(SandboxProfiles.class);

    private SandboxProfiles() {}

    /**
     * @param override --nix-version X.Y, or null
     * @param kept     the kept build directory, or null for a derivation target (no layout to read)
     * @throws Cancellation.Cancelled when a signal stopped the query of the host's Nix
     */
    public static ProfileChoice choose(String override, BuildDir kept, Cancellation cancellation) {
        NixVersion forced = override == null ? null : NixVersion.of(override);
        HostNix.Answer host = forced != null ? null : HostNix.version(cancellation);
        ProfileChoice choice = ProfileChoice.choose(forced, host, kept == null ? null : KeptLayout.of(kept));
        log.info("profile: Nix {}'s sandbox (Nix {} and later, {}): {}", choice.profile().name(),
                choice.profile().since(), choice.profile().measured() ? "measured" : "read from Nix's source",
                choice.reason());
        if (choice.notice() != null) {
            log.warn(choice.notice());
        }
        return choice;
    }
}
