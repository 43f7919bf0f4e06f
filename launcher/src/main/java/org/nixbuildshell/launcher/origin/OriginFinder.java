package org.nixbuildshell.launcher.origin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.derivation.AttrsJson;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the derivation a kept build directory comes from, never from where
 * the directory is or what it is called alone (a copy may be anywhere, Nix
 * 2.32 and Lix name it after nothing):
 * <ul>
 *   <li>env-vars readable: its {@code name} and output paths (or .attrs.json's);</li>
 *   <li>env-vars unreadable: the name the directory (or .attrs.json) tells, else
 *       {@link LogSearch}, the recently failed build that fits the directory.</li>
 * </ul>
 */
public final class OriginFinder {
    private static final Logger log = LoggerFactory.getLogger(OriginFinder.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** At most this many candidates are listed in an error (their logs are read for the failed phase). */
    private static final int LISTED = 8;

    private final DerivationLocator locator;

    public OriginFinder(DerivationLocator locator) {
        this.locator = locator;
    }

    public static OriginFinder system() {
        return new OriginFinder(DerivationLocator.system());
    }

    /** From a readable environment: the logged derivation of its name with its outputs. */
    public Optional<Origin> ofReadable(EnvVars env, BuildDir kept) {
        String name = env.get("name");
        Map<String, String> outputs = BuildOutputs.of(env, kept);
        if (name == null || outputs.isEmpty()) {
            return Optional.empty();
        }
        return locator.loggedWithOutputs(name, outputs).map(drv -> new Origin(drv, "the derivation with this build's outputs"));
    }

    /**
     * From a directory whose env-vars cannot be read.
     *
     * @param failedPhase reads a candidate's failed phase from its log (null when unknown), for the list
     * @throws ToolError (112) when none or several derivations fit: the message lists them and names --drv
     */
    public Origin ofUnreadable(BuildDir build, Function<Path, String> failedPhase) {
        Optional<Origin> named = byName(build);
        if (named.isPresent()) {
            return named.get();
        }
        LogSearch.Result search = LogSearch.search(build, locator);
        log.info("build: {} build log(s) written near {} ({} fit the directory)", search.candidates().size(),
                TIME.format(search.keptTime().toInstant()), search.fitting().size());
        search.candidates().forEach(c -> log.debug("build: candidate {}: {}", c.drv(), c.misfit() == null ? "fits" : c.misfit()));
        if (search.chosen().isPresent()) {
            LogSearch.Candidate c = search.chosen().get();
            int others = search.fitting().size() - 1;
            return new Origin(c.drv(), (others == 0 ? "the only recently failed build that fits the directory"
                    : "the recently failed build that fits the directory and whose source is unpacked there ("
                            + others + " other(s) fit less)") + "; its log was written " + TIME.format(c.time().toInstant()));
        }
        throw notFound(build, search, failedPhase);
    }

    /** The directory's name (nix-build-NAME.drv-N) or a readable .attrs.json's name, with its outputs checked. */
    private Optional<Origin> byName(BuildDir build) {
        Map<String, String> outputs = Map.of();
        Optional<String> name = DerivationLocator.nameFromDirectory(build.top());
        String how = "the directory's name";
        if (Files.isReadable(build.attrsJson())) {
            try {
                AttrsJson attrs = AttrsJson.parse(Files.readString(build.attrsJson()));
                outputs = attrs.outputs();
                if (name.isEmpty()) {
                    name = Optional.ofNullable(attrs.name());
                    how = ".attrs.json's name and outputs";
                }
            } catch (IOException | IllegalArgumentException e) {
                log.debug("cannot use {}: {}", build.attrsJson(), e.getMessage());
            }
        }
        Map<String, String> known = outputs;
        String found = how;
        return name.flatMap(n -> locator.find(n, known)).map(drv -> new Origin(drv, found));
    }

    private static ToolError notFound(BuildDir build, LogSearch.Result search, Function<Path, String> failedPhase) {
        String cannot = Files.exists(build.envVars())
                ? "cannot read " + build.envVars() + " (current nixpkgs writes it 0600, as the build user)"
                : build.given() + " has no env-vars file";
        String runAsRoot = "or run as root: sudo nix-build-shell " + build.given();
        // the closest to the directory's time first: the likeliest
        long kept = search.keptTime().toMillis();
        List<LogSearch.Candidate> fitting = search.fitting().stream()
                .sorted(Comparator.comparingLong(c -> Math.abs(c.time().toMillis() - kept))).toList();
        if (fitting.isEmpty()) {
            return new ToolError(ExitCodes.NO_ENV_VARS, cannot + ", and its derivation was not found (the directory's name "
                    + "does not name it, and no build that failed near " + TIME.format(search.keptTime().toInstant())
                    + " has a build log that fits it)",
                    "name the derivation: nix-build-shell --drv /nix/store/...-NAME.drv " + build.given()
                            + "  (nix-instantiate prints it), " + runAsRoot);
        }
        StringBuilder hint = new StringBuilder("name the one it is with --drv, e.g. nix-build-shell --drv ")
                .append(fitting.get(0).drv()).append(' ').append(build.given()).append("; ").append(runAsRoot)
                .append(". The candidates:");
        for (LogSearch.Candidate c : fitting.subList(0, Math.min(LISTED, fitting.size()))) {
            String phase = failedPhase.apply(c.drv());
            hint.append("\n    ").append(c.name()).append("  failed ").append(TIME.format(c.time().toInstant()))
                    .append(phase == null ? "" : " in " + phase).append("  --drv ").append(c.drv());
        }
        return new ToolError(ExitCodes.NO_ENV_VARS, cannot + ", and " + fitting.size() + " builds that failed near "
                + TIME.format(search.keptTime().toInstant()) + " fit it: which one it is cannot be told", hint.toString());
    }

    /**
     * For listings: the derivation by whichever way works for this directory, without failing.
     *
     * @return the derivation, and the name env-vars gives when it is readable but leads to none
     */
    public Optional<Origin> find(BuildDir build) {
        if (Files.isReadable(build.envVars())) {
            try {
                return ofReadable(EnvVars.parse(Files.readString(build.envVars())), build);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
        Optional<Origin> named = byName(build);
        return named.isPresent() ? named : LogSearch.search(build, locator).chosen()
                .map(c -> new Origin(c.drv(), "the recently failed build that fits it"));
    }

    /** When the build last wrote to its directory (see {@link KeptContents#time}). */
    public static FileTime keptTime(BuildDir build) {
        return KeptContents.time(build);
    }
}
