package org.nixbuildshell.launcher.store;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(null, "cannot run nix-store: " + e.getMessage());
        }
        cancellation.track(p);
        try {
            // both pipes drained at once: a query that fills one while we block on the other would never end
            Drain out = new Drain(p.getInputStream(), "nix-store-stdout");
            Drain err = new Drain(p.getErrorStream(), "nix-store-stderr");
            boolean ended = p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
            cancellation.check(); // a signal killed it: stop, do not fall back
            if (!ended) {
                Cancellation.kill(p);
                return new Result(null, "nix-store --query --requisites did not answer within " + DEADLINE_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String why = err.text().strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                return new Result(null, "nix-store --query --requisites failed: " + why);
            }
            List<String> paths = new ArrayList<>(new TreeSet<>(out.text().lines().filter(l -> l.startsWith("/nix/store/")).toList()));
            log.debug("closure: {} store paths from {} named in env-vars", paths.size(), existing.size());
            return new Result(paths, null);
        } catch (InterruptedException e) {
            Cancellation.kill(p);
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted");
        } finally {
            cancellation.untrack(p);
        }
    }

    /** Reads a stream to its end on a thread of its own. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in, String name) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException ignored) {
                    // the process is gone: what was read is all there is
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Everything read; waits briefly for the end, as the process has ended (a child of its may hold the pipe). */
        String text() throws InterruptedException {
            thread.join(1000);
            return bytes.toString(StandardCharsets.UTF_8);
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
