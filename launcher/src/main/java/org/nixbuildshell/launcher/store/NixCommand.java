package org.nixbuildshell.launcher.store;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nixbuildshell.launcher.cancel.Cancellation;

/**
 * Runs one of Nix's own commands ({@code nix-store}, {@code nix-instantiate})
 * the way a helper must run here: stdin from /dev/null, stdout and stderr
 * drained at once (a full pipe must not block it), a deadline (a hung daemon
 * must not hang the tool), and killed with its children at the deadline or
 * when a signal cancels the preparation.
 */
public final class NixCommand {
    private static final String[] PROFILE_DIRS = {
        "/nix/var/nix/profiles/default/bin", "/run/current-system/sw/bin", "/usr/bin"
    };

    /**
     * What the command did: its output, or why there is none.
     *
     * @param failure null when it ran and exited 0; else one line: not found, deadline, or its last error line
     */
    public record Result(String stdout, String stderr, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private NixCommand() {}

    /**
     * @param tool e.g. {@code nix-store}, looked up on PATH and in Nix's usual places
     * @throws Cancellation.Cancelled when a signal stopped it
     */
    public static Result run(String tool, List<String> args, int deadlineSeconds, Cancellation cancellation) {
        String program = find(tool);
        if (program == null) {
            return new Result("", "", tool + " is not on PATH");
        }
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(args);
        StringBuilder what = new StringBuilder(tool); // "nix-store --query --requisites", for messages
        for (int i = 0; i < args.size() && args.get(i).startsWith("-"); i++) {
            what.append(' ').append(args.get(i));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result("", "", "cannot run " + tool + ": " + e.getMessage());
        }
        cancellation.track(p);
        try {
            Drain out = new Drain(p.getInputStream(), tool + "-stdout");
            Drain err = new Drain(p.getErrorStream(), tool + "-stderr");
            boolean ended = p.waitFor(deadlineSeconds, TimeUnit.SECONDS);
            cancellation.check(); // a signal killed it: stop, do not fall back
            if (!ended) {
                Cancellation.kill(p);
                return new Result("", "", what + " did not answer within " + deadlineSeconds + " s");
            }
            String stderr = err.text();
            if (p.exitValue() != 0) {
                String why = stderr.strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                return new Result(out.text(), stderr, what + " failed: " + why);
            }
            return new Result(out.text(), stderr, null);
        } catch (InterruptedException e) {
            Cancellation.kill(p);
            Thread.currentThread().interrupt();
            return new Result("", "", "interrupted");
        } finally {
            cancellation.untrack(p);
        }
    }

    /** A Nix tool on PATH or in the usual places, or null. */
    public static String find(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of(PROFILE_DIRS));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
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
            return bytes.toString(StandardCharsets.UTF_8); // malformed bytes become U+FFFD
        }
    }
}
