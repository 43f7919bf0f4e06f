package org.nixbuildshell.launcher.stdenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.nixbuildshell.launcher.store.StoreClosure;

/**
 * Finds Nix's log of the build a kept directory comes from: the derivation is
 * the newest one of the directory's name that has a log
 * ({@link DerivationLocator}), and {@code nix-store --read-log} reads that log,
 * bzip2-compressed or not (no decoder of our own).
 */
public final class BuildLogFinder {
    /** A log, or why there is none (one line). */
    public record Lookup(BuildLog log, String missing) {}

    private BuildLogFinder() {}

    public static Lookup find(BuildDir build) {
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
            return new Lookup(BuildLog.parse(drv.get().toString(), readLog(drv.get().toString())), null);
        } catch (IOException e) {
            return new Lookup(null, "cannot read the build log of " + drv.get() + ": " + e.getMessage());
        }
    }

    private static String readLog(String drv) throws IOException {
        String nixStore = StoreClosure.findNixStore();
        if (nixStore == null) {
            throw new IOException("nix-store is not on PATH");
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
            throw new IOException("nix-store --read-log failed with status " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
    }
}
