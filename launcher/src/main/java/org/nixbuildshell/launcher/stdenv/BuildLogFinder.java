package org.nixbuildshell.launcher.stdenv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.nixbuildshell.launcher.origin.Origin;
import org.nixbuildshell.launcher.origin.OriginFinder;
import org.nixbuildshell.launcher.store.NixCommand;

/**
 * Finds Nix's log of the build a kept directory comes from: the derivation is
 * the one with the build's name and output paths ({@link OriginFinder}; the
 * environment names them, whether read from env-vars or rebuilt from the
 * derivation), else the newest one of the directory's name that has a log
 * ({@link DerivationLocator}); {@code nix-store --read-log} reads that log,
 * bzip2-compressed or not (no decoder of our own).
 */
public final class BuildLogFinder {
    /**
     * A log, or why there is none (one line).
     *
     * @param how how its derivation was found, or null
     */
    public record Lookup(BuildLog log, String missing, String how) {}

    /** Reading a log is local work; a daemon that does not answer in this time is hung. */
    private static final int DEADLINE_SECONDS = 30;

    private BuildLogFinder() {}

    public static Lookup find(EnvVars env, BuildDir build, Cancellation cancellation) {
        Optional<Origin> origin = OriginFinder.system().ofReadable(env, build);
        if (origin.isEmpty()) {
            Optional<String> name = DerivationLocator.nameFromDirectory(build.top());
            if (name.isEmpty()) {
                return new Lookup(null, "Nix has no build log of a derivation named " + env.get("name")
                        + " with this build's outputs, and the directory's name (" + build.top().getFileName()
                        + ") does not name one", null);
            }
            origin = DerivationLocator.system().newestLogged(name.get()).map(drv -> new Origin(drv, "the directory's name"));
            if (origin.isEmpty()) {
                return new Lookup(null, "Nix has no build log of " + name.get() + ".drv", null);
            }
        }
        Path drv = origin.get().drv();
        try {
            return new Lookup(BuildLog.parse(drv.toString(), readLog(drv.toString(), cancellation)), null, origin.get().how());
        } catch (IOException e) {
            return new Lookup(null, "cannot read the build log of " + drv + ": " + e.getMessage(), null);
        }
    }

    /** The phase the derivation's logged build failed in, or null when its log is unreadable or names none. */
    public static String failedPhase(Path drv, Cancellation cancellation) {
        try {
            return BuildLog.parse(drv.toString(), readLog(drv.toString(), cancellation)).failedPhase();
        } catch (IOException e) {
            return null;
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
