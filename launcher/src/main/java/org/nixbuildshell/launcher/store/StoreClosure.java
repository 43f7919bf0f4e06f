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
        List<String> args = new ArrayList<>(List.of("--query", "--requisites"));
        args.addAll(existing);
        NixCommand.Result r = NixCommand.run("nix-store", args, DEADLINE_SECONDS, cancellation);
        if (!r.ok()) {
            return new Result(null, r.failure());
        }
        List<String> paths = new ArrayList<>(new TreeSet<>(r.stdout().lines().filter(l -> l.startsWith("/nix/store/")).toList()));
        log.debug("closure: {} store paths from {} named in env-vars", paths.size(), existing.size());
        return new Result(paths, null);
    }

}
