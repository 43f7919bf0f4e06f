package org.nixbuildshell.launcher.derivation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nixbuildshell.launcher.nixconf.NixPlaces;

/**
 * Finds the derivation a kept build directory was built from, for when its
 * env-vars cannot be read (current nixpkgs writes it 0600 as the build user).
 * The name comes from the directory ({@code nix-build-NAME.drv-N}, Nix up to
 * 2.31) or from a readable {@code .attrs.json}; the derivation is then the
 * newest one of that name that Nix has a build log of (a failed build always
 * leaves one), else the only {@code *-NAME.drv} in the store. Where
 * {@code .attrs.json} names the outputs, the derivation must have them.
 */
public final class DerivationLocator {
    /** nix-build-NAME.drv-0 (≤ 2.29), nix-build-NAME.drv-PID-N (2.30, 2.31). */
    private static final Pattern KEPT_NAME = Pattern.compile("nix-build-(.+)\\.drv-\\d+(-\\d+)?");

    private final Path store;
    private final Path logs;

    public DerivationLocator(Path store, Path logs) {
        this.store = store;
        this.logs = logs;
    }

    public static DerivationLocator system() {
        return new DerivationLocator(Path.of("/nix/store"), NixPlaces.system().logs());
    }

    /** A derivation Nix has a build log of, and when that log was last written. */
    public record Logged(Path drv, FileTime time) {}

    /** The derivation's name as the kept directory's own name tells it (or its outer directory's). */
    public static Optional<String> nameFromDirectory(Path top) {
        for (Path dir = top; dir != null && dir.getFileName() != null; dir = dir.getParent()) {
            Matcher m = KEPT_NAME.matcher(dir.getFileName().toString());
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
            if (!dir.getFileName().toString().equals("build") && !dir.getFileName().toString().equals("b")) {
                break; // only the inner directory of the newer layouts looks one level up
            }
        }
        return Optional.empty();
    }

    /**
     * @param name    the derivation's name
     * @param outputs the output paths the build had (from .attrs.json), or empty when unknown
     */
    public Optional<Path> find(String name, Map<String, String> outputs) {
        List<Path> logged = fromLogs(name);
        List<Path> candidates = new ArrayList<>(logged);
        for (Path drv : inStore(name)) {
            if (!candidates.contains(drv)) {
                candidates.add(drv);
            }
        }
        if (!outputs.isEmpty()) {
            return candidates.stream().filter(drv -> hasOutputs(drv, outputs)).findFirst();
        }
        // without outputs to check, a logged build is evidence; a lone store match is too
        if (!logged.isEmpty()) {
            return Optional.of(logged.get(0));
        }
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    /**
     * The derivation of that name whose build log is the newest, without a scan of the whole
     * store (for reading that log; a failed build always leaves one).
     */
    public Optional<Path> newestLogged(String name) {
        return fromLogs(name).stream().findFirst();
    }

    /**
     * The derivation of that name with a build log whose outputs include {@code outputs} (a build's
     * own, from its env-vars or .attrs.json: they name one derivation), newest log first.
     */
    public Optional<Path> loggedWithOutputs(String name, Map<String, String> outputs) {
        return fromLogs(name).stream().filter(drv -> includesOutputs(drv, outputs)).findFirst();
    }

    /** Every derivation with a build log written between {@code from} and {@code to}, newest first. */
    public List<Logged> loggedBetween(FileTime from, FileTime to) {
        return scanLogs(file -> file.endsWith(".drv"), time -> time.compareTo(from) >= 0 && time.compareTo(to) <= 0);
    }

    /** Derivations of that name with a build log, newest log first, that are still in the store. */
    private List<Path> fromLogs(String name) {
        String suffix = "-" + name + ".drv";
        return scanLogs(file -> file.endsWith(suffix), time -> true).stream().map(Logged::drv).toList();
    }

    private List<Logged> scanLogs(java.util.function.Predicate<String> fileName,
                                  java.util.function.Predicate<FileTime> when) {
        List<Logged> found = new ArrayList<>();
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(logs)) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path log : files) {
                        String file = log.getFileName().toString().replaceFirst("\\.bz2$", "");
                        Path drv = store.resolve(prefix.getFileName() + file);
                        if (!fileName.test(file)) {
                            continue;
                        }
                        FileTime time = Files.getLastModifiedTime(log);
                        if (when.test(time) && Files.isRegularFile(drv)) {
                            found.add(new Logged(drv, time));
                        }
                    }
                } catch (IOException e) {
                    // an unreadable prefix directory: look at the others
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(Comparator.comparing(Logged::time, Comparator.reverseOrder()));
        return found;
    }

    private List<Path> inStore(String name) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store, "*-" + globEscape(name) + ".drv")) {
            entries.forEach(found::add);
        } catch (IOException e) {
            return List.of();
        }
        return found;
    }

    private static boolean includesOutputs(Path drv, Map<String, String> outputs) {
        try {
            Map<String, String> own = DerivationInputs.read(drv).outputs();
            return !outputs.isEmpty() && outputs.entrySet().stream().allMatch(o -> o.getValue().equals(own.get(o.getKey())));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean hasOutputs(Path drv, Map<String, String> outputs) {
        try {
            return DerivationInputs.read(drv).outputs().equals(outputs);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }
}
