package org.nixbuildshell.launcher.stdenv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.store.NixCommand;

/**
 * Finds Nix's log of the build a kept directory comes from: the derivation is
 * the newest one of the directory's name that has a log
 * ({@link DerivationLocator}), and {@code nix-store --read-log} reads that log,
 * bzip2-compressed or not (no decoder of our own).
 */
public final class BuildLogFinder {
    /** A log, or why there is none (one line). */
    public record Lookup(BuildLog log, String missing) {}

    /** Reading a log is local work; a daemon that does not answer in this time is hung. */
    private static final int DEADLINE_SECONDS = 30;

    private BuildLogFinder() {}

    public static Lookup find(BuildDir build, Cancellation cancellation) {
        Optional<String> name = DerivationLocator.nameFromDirectory(build.top());
        if (name.isEmpty()) {
            return new Lookup(null, "the directory's name (" + build.top().getFileName()
                    + ") does not name the derivation (as with Nix 2.32 and later), so its build log cannot be found");
        }
        Optional<Path> drv = DerivationLocator.system().newestLogged(name.get());
        if (drv.isEmpty()) {
            return new Lookup(null, "Nix has no build log of " + name.get() + ".drv");
        }
        try {
            return new Lookup(BuildLog.parse(drv.get().toString(), readLog(drv.get().toString(), cancellation)), null);
        } catch (IOException e) {
            return new Lookup(null, "cannot read the build log of " + drv.get() + ": " + e.getMessage());
        }
    }

    private static String readLog(String drv, Cancellation cancellation) throws IOException {
        NixCommand.Result r = NixCommand.run("nix-store", List.of("--read-log", drv), DEADLINE_SECONDS, cancellation);
        if (!r.ok()) {
            throw new IOException(r.failure());
        }
        return r.stdout();
    }

}
