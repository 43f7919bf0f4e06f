package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final Duration SCREEN = Tmux.SCREEN;
    private static final String PROMPT = "[nix-build-shell:/build";

    @TempDir
    Path tmp;

    private Path socket;
    private Path config;
    private Tmux term;
    private Path status;
    private final String marker = Procs.marker();

    @BeforeEach
    void startTheTool() throws IOException {
        config = Files.writeString(tmp.resolve("tmux.conf"), "set -g remain-on-exit on\n");
        status = tmp.resolve("status");
        socket = tmp.resolve("tmux.sock");
        term = new Tmux(socket, config);
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : RemoteIT.sshEnv().entrySet()) {
            line.append(e.getKey()).append('=').append(Tmux.quote(e.getValue())).append(' ');
        }
        line.append("TMPDIR=").append(Tmux.quote(tmp)).append(' ').append(Tmux.quote(Tool.SCRIPT)).append(' ')
                .append(Tmux.quote(RemoteIT.uri(RemoteIT.kept()))).append("; echo EXIT=$? > ").append(Tmux.quote(status));
        term.run("new-session", "-d", "-s", "nbs", "-x", "120", "-y", "40", line.toString());
        term.awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
    }

    @AfterEach
    void stopTmux() {
        try {
            term.run("kill-server");
        } catch (AssertionError ignored) {
            // already gone
        }
        Procs.killAll(Procs.withArgv("sleep", marker));
    }

    @Test
    void ctrlCTheWindowSizeAndTheExitStatusGoThroughSsh() {
        term.type("echo out-$((6*7)); tty");
        // a terminal inside: the builder's pty, through ssh -t
        term.awaitScreen("a command's output and a tty", s -> s.matches("(?s).*out-42\\n/dev/pts/\\d+\\n.*"));
        // the window size follows the local terminal's, through ssh
        term.run("resize-window", "-t", "nbs", "-x", "100", "-y", "30");
        term.type("echo size-$(stty size | tr ' ' x)");
        term.awaitScreen("the new window size inside", s -> s.contains("size-30x100"));
        term.type("sleep " + marker);
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + term.screen());
        term.run("send-keys", "-t", "nbs", "C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c did not end sleep");
        term.type("echo alive-$((1+1))");
        term.awaitScreen("the shell survived C-c", s -> s.contains("alive-2"));
        term.type("exit 7");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).endsWith("\n")), "the tool did not end:\n" + term.screen());
        assertEquals("EXIT=7\n", Procs.read(status));
    }

    @Test
    void aDroppedConnectionEndsTheSessionOnTheBuilder() {
        term.type("sleep " + marker);
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + term.screen());
        List<Long> clients = sshClients();
        assertEquals(1, clients.size(), "ssh clients: " + clients);
        Procs.signal(clients.get(0), "KILL");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).endsWith("\n")), "the tool did not end:\n" + term.screen());
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)),
                "the builder's session outlived the connection: sleep still runs");
    }

    /** The local ssh processes running the builder's nix-build-shell on the kept build (one per session). */
    private static List<Long> sshClients() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                String cmdline = Procs.read(dir.resolve("cmdline"));
                if (cmdline.startsWith("ssh\0") && cmdline.contains("\0-t\0") && cmdline.contains(RemoteIT.kept())) {
                    pids.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return pids;
    }

}
