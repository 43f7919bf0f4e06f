package org.nixbuildshell.launcher.stdenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.store.StoreClosure;

/**
 * Finds Nix's log of the build a kept directory comes from. Nix up to 2.31
 * names the directory {@code nix-build-NAME.drv-N} (2.30–2.31:
 * {@code …drv-PID-N}), and keeps the log of {@code /nix/store/HASH-NAME.drv}
 * at {@code $NIX_LOG_DIR/drvs/HA/SH-NAME.drv[.bz2]}; the most recent log of
 * that name is taken. A compressed log is read with {@code nix-store --read-log},
 * which decompresses it (no bzip2 decoder of our own).
 */
public final class BuildLogFinder {
    private static final Pattern KEPT_DIR = Pattern.compile("nix-build-(.+)\\.drv-\\d+(?:-\\d+)?");

    /** A log, or why there is none (one line). */
    public record Lookup(BuildLog log, String missing) {}

    private BuildLogFinder() {}

    public static Lookup find(BuildDir build) {
        String name = derivationName(build);
        if (name == null) {
            return new Lookup(null, "the directory's name (" + build.top().getFileName()
                    + ") does not name the derivation (Nix 2.32 and later), so its build log cannot be found");
        }
        Path drvs = logDir().resolve("drvs");
        Path file = newest(drvs, name);
        if (file == null) {
            return new Lookup(null, "no build log of " + name + ".drv in " + drvs);
        }
        try {
            String text = file.toString().endsWith(".bz2") ? readLog(drvPath(file))
                    : new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return new Lookup(BuildLog.parse(file.toString(), text), null);
        } catch (IOException e) {
            return new Lookup(null, "cannot read the build log " + file + ": " + e.getMessage());
        }
    }

    /** NAME of {@code nix-build-NAME.drv-N}: the directory itself, or the outer one of Nix >= 2.23.1. */
    static String derivationName(BuildDir build) {
        for (Path p = build.top(); p != null && p.getFileName() != null; p = p.getParent()) {
            Matcher m = KEPT_DIR.matcher(p.getFileName().toString());
            if (m.matches()) {
                return m.group(1);
            }
            if (!p.equals(build.top())) {
                break; // only the directory and its parent
            }
        }
        return null;
    }

    private static Path logDir() {
        String env = System.getenv("NIX_LOG_DIR");
        return Path.of(env != null && !env.isEmpty() ? env : "/nix/var/log/nix");
    }

    /** The most recently written {@code drvs/XX/REST-NAME.drv[.bz2]}, or null. */
    static Path newest(Path drvs, String name) {
        Pattern file = Pattern.compile("[0-9a-z]{30}-" + Pattern.quote(name) + "\\.drv(?:\\.bz2)?");
        List<Path> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(drvs)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> file.matcher(f.getFileName().toString()).matches()).forEach(found::add);
                } catch (IOException e) {
                    // an unreadable subdirectory holds no log we could read
                }
            }
        } catch (IOException e) {
            return null;
        }
        Path best = null;
        FileTime bestTime = null;
        for (Path f : found) {
            try {
                FileTime t = Files.getLastModifiedTime(f);
                if (bestTime == null || t.compareTo(bestTime) > 0) {
                    best = f;
                    bestTime = t;
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return best;
    }

    /** drvs/XX/REST.drv.bz2 is the log of /nix/store/XXREST.drv. */
    static String drvPath(Path logFile) {
        String base = logFile.getFileName().toString();
        return "/nix/store/" + logFile.getParent().getFileName() + base.substring(0, base.length() - ".bz2".length());
    }

    private static String readLog(String drv) throws IOException {
        String nixStore = StoreClosure.findNixStore();
        if (nixStore == null) {
            throw new IOException("nix-store is not on PATH, and the log is compressed");
        }
        Process p = new ProcessBuilder(nixStore, "--read-log", drv).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nix-store --read-log did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException("nix-store --read-log " + drv + " failed with status " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
    }
}
