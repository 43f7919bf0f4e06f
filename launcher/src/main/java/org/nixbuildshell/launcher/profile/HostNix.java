package org.nixbuildshell.launcher.profile;

import java.util.List;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.store.NixCommand;
import org.nixbuildshell.launcher.store.StoreClosure;

/** The version of the host's Nix, from {@code nix-store --version} (no daemon involved). */
public final class HostNix {
    private static final int DEADLINE_SECONDS = 10;

    private HostNix() {}

    /** The version, or null with the reason it is unknown. */
    public record Answer(NixVersion version, String failure) {}

    /** @throws Cancellation.Cancelled when a signal stopped the query */
    public static Answer version(Cancellation cancellation) {
        String nixStore = StoreClosure.findNixStore();
        if (nixStore == null) {
            return new Answer(null, "nix-store is not on PATH");
        }
        NixCommand.Output out = NixCommand.run(List.of(nixStore, "--version"), "nix-store --version",
                DEADLINE_SECONDS, cancellation);
        if (out.stdout() == null) {
            return new Answer(null, out.failure());
        }
        NixVersion v = NixVersion.find(out.stdout());
        return v == null ? new Answer(null, "nix-store --version said " + out.stdout().strip()) : new Answer(v, null);
    }
}
