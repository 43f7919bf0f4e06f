package org.nixbuildshell.launcher.profile;

/**
 * Which Nix's sandbox to reproduce, and why. In order: {@code --nix-version};
 * the host's Nix when the kept directory's layout admits it; else the version
 * in the layout's range nearest to the host's. The layout wins a disagreement
 * because Nix named the directory when it kept it, while the host's Nix may
 * have been upgraded since, or the directory come from another machine.
 *
 * @param profile the sandbox
 * @param version the Nix version it stands for
 * @param reason  why, in one line (for -v)
 * @param notice  a one-line notice when no measured profile fits well, else null
 */
public record ProfileChoice(SandboxProfile profile, NixVersion version, String reason, String notice) {

    /**
     * @param override --nix-version, or null
     * @param host     the host's Nix (ignored with an override)
     * @param layout   the kept directory's evidence, or null
     */
    public static ProfileChoice choose(NixVersion override, HostNix.Answer host, KeptLayout layout) {
        NixVersion v;
        String reason;
        if (override != null) {
            v = override;
            reason = "--nix-version " + override;
        } else if (host.version() == null) {
            v = layout != null && layout.from() != null ? layout.from() : NixProfiles.oldestMeasured();
            reason = "the host's Nix is unknown (" + host.failure() + "); "
                    + (layout != null ? "the kept directory (" + layout.shape() + ") means " + layout.range()
                    : "the kept directory's names say nothing") + "; assuming Nix " + v;
        } else if (layout == null || layout.admits(host.version())) {
            v = host.version();
            reason = "the host's Nix is " + v + " (nix-store --version)"
                    + (layout != null ? ", as the kept directory's layout (" + layout.shape() + ") allows" : "");
        } else {
            v = layout.clamp(host.version());
            reason = "the kept directory (" + layout.shape() + ") was made by " + layout.range()
                    + ", not by the host's Nix " + host.version() + "; assuming Nix " + v;
        }
        SandboxProfile profile = NixProfiles.forVersion(v);
        String notice = null;
        if (v.compareTo(NixProfiles.newest()) > 0) {
            notice = "Nix " + v + " is newer than any sandbox profile; reproducing Nix " + profile.name() + "'s";
        } else if (v.compareTo(NixProfiles.oldestMeasured()) < 0) {
            notice = "Nix " + v + " is older than any measured sandbox; reproducing Nix " + profile.name() + "'s";
        }
        return new ProfileChoice(profile, v, reason, notice);
    }
}
