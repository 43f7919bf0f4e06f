package org.nixbuildshell.launcher.origin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.derivation.BuilderEnvironment;
import org.nixbuildshell.launcher.derivation.Derivation;
import org.nixbuildshell.launcher.derivation.DerivationInputs;
import org.nixbuildshell.launcher.derivation.DerivationLocator;

/**
 * The derivation of a kept directory that neither env-vars (unreadable) nor
 * its name (Nix 2.32 and later: {@code nix-PID-N/build}) names, from what Nix
 * left on the machine: a failed build leaves a build log, written last when
 * the build ended, soon after it last wrote to /build. Each derivation whose
 * log was written in that window, and whose outputs do not exist (it failed),
 * is checked against the directory: the name its parent says, structured
 * attrs, .attrs.json's outputs, the passAsFile files, and the unpacked
 * source's name against {@code src}. One that fits is the answer; with several,
 * the one whose source matches; else none (the caller lists them).
 */
public final class LogSearch {
    /** A log is closed after the build's last write to /build; a little before covers coarse clocks. */
    static final Duration BEFORE = Duration.ofMinutes(2);
    /** The failed phase may run long after it wrote env-vars (a long compile). */
    static final Duration AFTER = Duration.ofHours(24);

    /**
     * A derivation whose log lies in the window.
     *
     * @param misfit        why it cannot be the directory's, or null when it fits
     * @param sourceMatches the unpacked source's name is its src's (or its name)
     */
    public record Candidate(Path drv, String name, FileTime time, String misfit, boolean sourceMatches) {}

    /** @param chosen the one derivation that fits, if there is one */
    public record Result(FileTime keptTime, List<Candidate> candidates, Optional<Candidate> chosen) {
        public List<Candidate> fitting() {
            return candidates.stream().filter(c -> c.misfit() == null).toList();
        }
    }

    private LogSearch() {}

    public static Result search(BuildDir build, DerivationLocator locator) {
        KeptContents contents = KeptContents.of(build);
        FileTime from = FileTime.from(contents.time().toInstant().minus(BEFORE));
        FileTime to = FileTime.from(contents.time().toInstant().plus(AFTER));
        List<Candidate> candidates = new ArrayList<>();
        for (DerivationLocator.Logged logged : locator.loggedBetween(from, to)) {
            candidates.add(check(logged, contents));
        }
        List<Candidate> fitting = candidates.stream().filter(c -> c.misfit() == null).toList();
        List<Candidate> matching = fitting.stream().filter(Candidate::sourceMatches).toList();
        Optional<Candidate> chosen = fitting.size() == 1 ? Optional.of(fitting.get(0))
                : matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
        return new Result(contents.time(), List.copyOf(candidates), chosen);
    }

    static Candidate check(DerivationLocator.Logged logged, KeptContents contents) {
        Derivation drv;
        try {
            drv = DerivationInputs.read(logged.drv());
        } catch (RuntimeException e) {
            return new Candidate(logged.drv(), nameOf(logged.drv()), logged.time(), "unreadable: " + e.getMessage(), false);
        }
        String name = drv.name() == null ? nameOf(logged.drv()) : drv.name();
        String misfit = misfit(drv, name, contents);
        return new Candidate(logged.drv(), name, logged.time(), misfit, sourceMatches(drv, name, contents.sourceDirs()));
    }

    /** Why the derivation cannot have left this directory, or null. */
    static String misfit(Derivation drv, String name, KeptContents contents) {
        Map<String, String> outputs = drv.outputs();
        if (!outputs.isEmpty() && outputs.values().stream().allMatch(p -> !p.isEmpty() && Files.exists(Path.of(p)))) {
            return "its outputs exist (it was built)";
        }
        if (contents.nameFromDir().isPresent() && !contents.nameFromDir().get().equals(name)) {
            return "the directory's name says " + contents.nameFromDir().get();
        }
        if (drv.structuredAttrs() != contents.structured()) {
            return drv.structuredAttrs() ? "it has structured attrs, the directory no .attrs.json"
                    : "the directory has .attrs.json, it has no structured attrs";
        }
        if (!contents.outputs().isEmpty() && !contents.outputs().equals(outputs)) {
            return ".attrs.json names other outputs";
        }
        Set<String> attrFiles = new TreeSet<>();
        if (!drv.structuredAttrs()) {
            BuilderEnvironment.of(drv, 1).files().keySet().stream().filter(f -> f.startsWith(".attr-")).forEach(attrFiles::add);
        }
        if (!attrFiles.equals(contents.attrFiles())) {
            return "its passAsFile files are not the directory's";
        }
        return null;
    }

    /** One of the unpacked directories is its src's name (hello-2.12 of hello-2.12.tar.gz) or its own name. */
    static boolean sourceMatches(Derivation drv, String name, Set<String> sourceDirs) {
        List<String> sources = new ArrayList<>();
        for (String var : new String[] {"src", "srcs"}) {
            String value = drv.env().get(var);
            if (value != null) {
                for (String path : value.strip().split("\\s+")) {
                    sources.add(storeName(path));
                }
            }
        }
        for (String dir : sourceDirs) {
            if (dir.equals(name) || sources.stream().anyMatch(s -> !s.isEmpty() && (s.equals(dir) || s.startsWith(dir + ".")
                    || s.startsWith(dir + "-")))) {
                return true;
            }
        }
        return false;
    }

    /** /nix/store/HASH-hello-2.12.tar.gz → hello-2.12.tar.gz. */
    static String storeName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int dash = base.indexOf('-');
        return path.startsWith("/nix/store/") && dash == 32 ? base.substring(dash + 1) : base;
    }

    private static String nameOf(Path drv) {
        String base = storeName(drv.toString());
        return base.endsWith(".drv") ? base.substring(0, base.length() - 4) : base;
    }
}
