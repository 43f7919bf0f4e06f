package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A terminal for a test: a tmux server of its own (socket, config), one session "nbs", typed into and read. */
final class Tmux {
    static final Duration SCREEN = Duration.ofSeconds(60);

    private final Path socket;
    private final Path config;

    Tmux(Path socket, Path config) {
        this.socket = socket;
        this.config = config;
    }

    /** {@code s} as one word of the session's shell command line. */
    static String quote(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }

    /** Type a line and Enter. */
    void type(String line) {
        run("send-keys", "-t", "nbs", "-l", line);
        run("send-keys", "-t", "nbs", "Enter");
    }

    /** Press a key, e.g. C-c. */
    void keys(String key) {
        run("send-keys", "-t", "nbs", key);
    }

    /** Poll the screen until {@code done} holds; returns that screen. */
    String awaitScreen(String what, Predicate<String> done) {
        String[] last = {""};
        boolean ok = Procs.waitUntil(SCREEN, () -> done.test(last[0] = screen()));
        assertTrue(ok, "never saw " + what + "; the screen:\n" + last[0]);
        return last[0];
    }

    /** The pane's text, wrapped lines joined (-J keeps their trailing blanks: dropped), with its history. */
    String screen() {
        return run("capture-pane", "-p", "-J", "-S", "-", "-t", "nbs").replaceAll("(?m)[ \\t]+$", "");
    }

    /** tmux ARGS on this server; its output, or an AssertionError when it fails. */
    String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", config.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
