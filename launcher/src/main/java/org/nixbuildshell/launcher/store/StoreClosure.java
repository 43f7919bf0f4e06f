package org.nixbuildshell.launcher.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build's inputs: the closure of every store path env-vars names, asked
 * of Nix with {@code nix-store --query --requisites}, as Nix gives the
 * sandbox exactly the closure of the derivation's inputs. The query has
 * {@value #DEADLINE_SECONDS} s (a local daemon answers in milliseconds); a
 * hung daemon must not hang the tool. A signal kills the query at once.
 */
public final class StoreClosure {
    private static final Logger log = LoggerFactory.getLogger(StoreClosure.class);
    private static final String[] NIX_STORE_CANDIDATES = {
        "/nix/var/nix/profiles/default/bin/nix-store", "/run/current-system/sw/bin/nix-store", "/usr/bin/nix-store"
    };

    static final int DEADLINE_SECONDS = 10;

    private StoreClosure() {}

    /** The result: the paths, or null with the reason the query was impossible. */
    public record Result(List<String> paths, String failure) {}

    /**
     * The closure of {@code roots}, or the reason it is unknown.
     *
     * @throws Cancellation.Cancelled when a signal stopped the query
     */
    public static Result of(Collection<String> roots, Cancellation cancellation) {
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
        NixCommand.Output out = NixCommand.run(cmd, "nix-store --query --requisites", DEADLINE_SECONDS, cancellation);
        if (out.stdout() == null) {
            return new Result(null, out.failure());
        }
        List<String> paths = new ArrayList<>(new TreeSet<>(out.stdout().lines().filter(l -> l.startsWith("/nix/store/")).toList()));
        log.debug("closure: {} store paths from {} named in env-vars", paths.size(), existing.size());
        return new Result(paths, null);
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
