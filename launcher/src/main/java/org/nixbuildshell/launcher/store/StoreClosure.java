package org.nixbuildshell.launcher.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build's inputs: the closure of every store path env-vars names, asked
 * of Nix with {@code nix-store --query --requisites}, as Nix gives the
 * sandbox exactly the closure of the derivation's inputs.
 */
public final class StoreClosure {
    private static final Logger log = LoggerFactory.getLogger(StoreClosure.class);
    private static final String[] NIX_STORE_CANDIDATES = {
        "/nix/var/nix/profiles/default/bin/nix-store", "/run/current-system/sw/bin/nix-store", "/usr/bin/nix-store"
    };

    private StoreClosure() {}

    /** The result: the paths, or null with the reason the query was impossible. */
    public record Result(List<String> paths, String failure) {}

    public static Result of(Collection<String> roots) {
        List<String> existing = roots.stream().filter(p -> Files.exists(Path.of(p))).toList();
        if (existing.isEmpty()) {
            return new Result(List.of(), null);
        }
        String nixStore = findNixStore();
        if (nixStore == null) {
            return new Result(null, "nix-store is not on PATH");
        }
        List<String> cmd = new ArrayList<>(List.of(nixStore, "--query", "--requisites"));
        cmd.addAll(existing);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // its errors are a line or two: read after stdout without risk of a full pipe
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(null, "nix-store --query did not answer within 60 s");
            }
            if (p.exitValue() != 0) {
                String why = err.strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                return new Result(null, "nix-store --query --requisites failed: " + why);
            }
            List<String> paths = new ArrayList<>(new TreeSet<>(out.lines().filter(l -> l.startsWith("/nix/store/")).toList()));
            log.debug("closure: {} store paths from {} named in env-vars", paths.size(), existing.size());
            return new Result(paths, null);
        } catch (IOException e) {
            return new Result(null, "cannot run nix-store: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted");
        }
    }

    /** nix-store on PATH or in the usual places, or null. */
    public static String findNixStore() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nix-store"))) {
                    return Path.of(dir, "nix-store").toString();
                }
            }
        }
        for (String candidate : NIX_STORE_CANDIDATES) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
