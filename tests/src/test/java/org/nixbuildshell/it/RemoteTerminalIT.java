package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 at a terminal: a shell on a build kept on the remote builder of
 * scripts/remote-builder, through ssh's pty, in tmux. The builder shares this
 * machine's processes, so the test sees the sandbox's commands end.
 */
class RemoteTerminalIT {
    private static final Duration SCREEN = Duration.ofSeconds(60);
    private static final String PROMPT = "[nix-build-shell:/build";

    @TempDir
    Path tmp;

    private Path socket;
    private Path config;
    private Path status;
    private final String marker = Procs.marker();

    @BeforeEach
    void startTheTool() throws IOException {
        config = Files.writeString(tmp.resolve("tmux.conf"), "set -g remain-on-exit on\n");
        status = tmp.resolve("status");
        socket = tmp.resolve("tmux.sock");
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : RemoteIT.sshEnv().entrySet()) {
            line.append(e.getKey()).append('=').append(q(e.getValue())).append(' ');
        }
        line.append("TMPDIR=").append(q(tmp)).append(' ').append(q(Tool.SCRIPT)).append(' ')
                .append(q(RemoteIT.uri(RemoteIT.kept()))).append("; echo EXIT=$? > ").append(q(status));
        tmux("new-session", "-d", "-s", "nbs", "-x", "120", "-y", "40", line.toString());
        awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
    }

    @AfterEach
    void stopTmux() {
        try {
            tmux("kill-server");
        } catch (AssertionError ignored) {
            // already gone
        }
        Procs.killAll(Procs.withArgv("sleep", marker));
    }

    @Test
    void ctrlCTheWindowSizeAndTheExitStatusGoThroughSsh() {
        type("echo out-$((6*7)); tty");
        // a terminal inside: the builder's pty, through ssh -t
        awaitScreen("a command's output and a tty", s -> s.matches("(?s).*out-42\\n/dev/pts/\\d+\\n.*"));
        // the window size follows the local terminal's, through ssh
        tmux("resize-window", "-t", "nbs", "-x", "100", "-y", "30");
        type("echo size-$(stty size | tr ' ' x)");
        awaitScreen("the new window size inside", s -> s.contains("size-30x100"));
        type("sleep " + marker);
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + screen());
        tmux("send-keys", "-t", "nbs", "C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c did not end sleep");
        type("echo alive-$((1+1))");
        awaitScreen("the shell survived C-c", s -> s.contains("alive-2"));
        type("exit 7");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).endsWith("\n")), "the tool did not end:\n" + screen());
        assertEquals("EXIT=7\n", read(status));
    }

    @Test
    void aDroppedConnectionEndsTheSessionOnTheBuilder() {
        type("sleep " + marker);
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + screen());
        List<Long> clients = sshClients();
        assertEquals(1, clients.size(), "ssh clients: " + clients);
        Procs.signal(clients.get(0), "KILL");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).endsWith("\n")), "the tool did not end:\n" + screen());
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)),
                "the builder's session outlived the connection: sleep still runs");
    }

    /** The local ssh processes running the builder's nix-build-shell on the kept build (one per session). */
    private static List<Long> sshClients() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                String cmdline = read(dir.resolve("cmdline"));
                if (cmdline.startsWith("ssh\0") && cmdline.contains("\0-t\0") && cmdline.contains(RemoteIT.kept())) {
                    pids.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return pids;
    }

    private void type(String line) {
        tmux("send-keys", "-t", "nbs", "-l", line);
        tmux("send-keys", "-t", "nbs", "Enter");
    }

    private String awaitScreen(String what, Predicate<String> done) {
        String[] last = {""};
        boolean ok = Procs.waitUntil(SCREEN, () -> done.test(last[0] = screen()));
        assertTrue(ok, "never saw " + what + "; the screen:\n" + last[0]);
        return last[0];
    }

    private String screen() {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "nbs").replaceAll("(?m)[ \\t]+$", "");
    }

    private String tmux(String... args) {
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

    private static String q(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
