package org.nixbuildshell.launcher.kept;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.derivation.DerivationInputs;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.nixbuildshell.launcher.nixconf.NixPlaces;
import org.nixbuildshell.launcher.origin.Origin;
import org.nixbuildshell.launcher.origin.OriginFinder;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;

/**
 * {@code nix-build-shell --list}: the kept builds, newest first, one a line on
 * stdout: age, size, the phase the build failed in (from Nix's log), the
 * derivation's name, and the directory to name as TARGET. Those the caller
 * cannot read are listed too, with what their names tell.
 */
public final class KeptListing {
    private KeptListing() {}

    public static int run(PrintStream out, PrintStream err, Cancellation cancellation) {
        NixPlaces places = NixPlaces.system();
        List<KeptEntry> entries = KeptBuilds.find(places);
        if (entries.isEmpty()) {
            err.println("nix-build-shell: no kept build directories in " + KeptBuilds.describe(places)
                    + " (nix-build --keep-failed, or nix build -K, keeps one)");
            return 0;
        }
        OriginFinder finder = OriginFinder.system();
        out.printf("%-5s %7s  %-16s %-32s %s%n", "AGE", "SIZE", "FAILED IN", "DERIVATION", "DIRECTORY");
        Instant now = Instant.now();
        long unreadable = 0;
        for (KeptEntry entry : entries) {
            String name = "?";
            String phase = "?";
            if (entry.readable()) {
                Optional<Origin> origin = finder.find(entry.build());
                if (origin.isPresent()) {
                    name = nameOf(origin.get().drv());
                    String failed = BuildLogFinder.failedPhase(origin.get().drv(), cancellation);
                    phase = failed == null ? "?" : failed;
                } else {
                    name = readableName(entry).orElse("?");
                }
            } else {
                unreadable++;
                name = DerivationLocator.nameFromDirectory(entry.path()).orElse("?") + " (not readable)";
            }
            out.printf("%-5s %7s  %-16s %-32s %s%n", age(Duration.between(entry.time().toInstant(), now)),
                    entry.readable() ? size(entry.build().top()) : "?", phase, name, entry.path());
        }
        if (unreadable > 0) {
            err.println("nix-build-shell: " + unreadable + " of them you cannot read: sudo nix-build-shell --list shows them");
        }
        return 0;
    }

    private static String nameOf(Path drv) {
        try {
            String name = DerivationInputs.read(drv).name();
            return name == null ? drv.getFileName().toString() : name;
        } catch (RuntimeException e) {
            return drv.getFileName().toString();
        }
    }

    /** The name env-vars or the directory gives, for a build whose derivation is not found. */
    private static Optional<String> readableName(KeptEntry entry) {
        try {
            String name = EnvVars.parse(Files.readString(entry.build().envVars())).get("name");
            if (name != null) {
                return Optional.of(name);
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the directory's name may tell
        }
        return DerivationLocator.nameFromDirectory(entry.build().top());
    }

    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86400 ? s / 3600 + "h" : s / 86400 + "d";
    }

    /** What the caller can see of the tree, in bytes, rounded as ls -h would. */
    static String size(Path top) {
        long[] total = {0};
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what was summed so far
        }
        double v = total[0];
        String[] units = {"B", "K", "M", "G", "T"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? (long) v + "B" : String.format(v < 10 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }
}
