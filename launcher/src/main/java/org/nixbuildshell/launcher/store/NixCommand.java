package org.nixbuildshell.launcher.store;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nixbuildshell.launcher.cancel.Cancellation;

/**
 * Runs one Nix command with a deadline: a hung daemon must not hang the tool,
 * and a signal kills the command at once.
 */
public final class NixCommand {
    private NixCommand() {}

    /** What the command printed on stdout, or null with the one-line reason there is nothing. */
    public record Output(String stdout, String failure) {}

    /**
     * @param what how messages name the command, e.g. "nix-store --query --requisites"
     * @throws Cancellation.Cancelled when a signal stopped it
     */
    public static Output run(List<String> cmd, String what, int deadlineSeconds, Cancellation cancellation) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Output(null, "cannot run " + cmd.get(0) + ": " + e.getMessage());
        }
        cancellation.track(p);
        try {
            // both pipes drained at once: a command that fills one while we block on the other would never end
            Drain out = new Drain(p.getInputStream(), "nix-stdout");
            Drain err = new Drain(p.getErrorStream(), "nix-stderr");
            boolean ended = p.waitFor(deadlineSeconds, TimeUnit.SECONDS);
            cancellation.check(); // a signal killed it: stop, do not fall back
            if (!ended) {
                Cancellation.kill(p);
                return new Output(null, what + " did not answer within " + deadlineSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String why = err.text().strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                return new Output(null, what + " failed: " + why);
            }
            return new Output(out.text(), null);
        } catch (InterruptedException e) {
            Cancellation.kill(p);
            Thread.currentThread().interrupt();
            return new Output(null, "interrupted");
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
}
