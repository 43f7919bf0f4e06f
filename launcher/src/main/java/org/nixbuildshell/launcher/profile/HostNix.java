package org.nixbuildshell.launcher.profile;

import java.util.List;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.store.NixCommand;

/** The version of the host's Nix, from {@code nix-store --version} (no daemon involved). */
public final class HostNix {
    private static final int DEADLINE_SECONDS = 10;

    private HostNix() {}

    /** The version, or null with the reason it is unknown; {@code lix}: the host runs Lix ("Lix, like Nix"). */
    public record Answer(NixVersion version, String failure, boolean lix) {
        public Answer(NixVersion version, String failure) {
            this(version, failure, false);
        }
    }

    /** @throws Cancellation.Cancelled when a signal stopped the query */
    public static Answer version(Cancellation cancellation) {
        NixCommand.Result r = NixCommand.run("nix-store", List.of("--version"), DEADLINE_SECONDS, cancellation);
        if (!r.ok()) {
            return new Answer(null, r.failure());
        }
        NixVersion v = NixVersion.find(r.stdout());
        return v == null ? new Answer(null, "nix-store --version said " + r.stdout().strip())
                : new Answer(v, null, r.stdout().contains("Lix"));
    }
}
