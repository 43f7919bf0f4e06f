package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: the interactive shell at a real terminal. tmux gives the tool a
 * pty of a fixed size; the test types with send-keys and reads the screen
 * with capture-pane.
 */
class InteractiveIT {
    private static final Duration SCREEN = Tmux.SCREEN;
    private static final String PROMPT = "[nix-build-shell:/build";
    private static final Pattern TTY = Pattern.compile("(?m)^/dev/pts/\\d+$");

    @TempDir
    Path tmp;

    private Path socket;
    private Path config;
    private Tmux term;
    private Path tmpdir;
    private Path status;
    private final String marker = Procs.marker();

    @BeforeEach
    void prepareTmux() throws IOException {
        assumeTrue(tmuxInstalled(), "tmux is not installed");
        // keep the pane when the tool ends, so a failure still shows its last screen
        config = Files.writeString(tmp.resolve("tmux.conf"), "set -g remain-on-exit on\n");
        tmpdir = Files.createDirectory(tmp.resolve("tmpdir"));
        status = tmp.resolve("status");
    }

    /** A terminal running {@code line} (a shell command line) in its one pane. */
    private void startTmux(String line) {
        socket = tmp.resolve("tmux.sock");
        term = new Tmux(socket, config);
        term.run("new-session", "-d", "-s", "nbs", "-x", "120", "-y", "40", line);
    }

    /** The tool on {@code fixture}, in a new tmux session; the caller's shell reads a line after it. */
    private void start(Object fixture) {
        startTmux(tool(fixture) + "; echo EXIT=$? > " + Tmux.quote(status)
                // the caller can use the terminal again once the tool is done (the inner shell took it)
                + "; read -r line; echo \"read=$?:$line\" >> " + Tmux.quote(status));
    }

    private String tool(Object... args) {
        StringBuilder line = new StringBuilder("TMPDIR=" + Tmux.quote(tmpdir) + " XDG_CACHE_HOME="
                + Tmux.quote(Tool.cacheFor(tmpdir)) + " " + Tmux.quote(Tool.SCRIPT));
        for (Object a : args) {
            line.append(' ').append(Tmux.quote(a));
        }
        return line.toString();
    }

    @AfterEach
    void stopTmux() {
        if (socket != null) {
            tmuxQuietly("kill-server"); // SIGHUP to the tool, which ends the sandbox
            Procs.waitUntil(Duration.ofSeconds(10), () -> Tool.leftovers(tmpdir).isEmpty());
        }
        Procs.killAll(Procs.withArgv("sleep", marker));
    }

    @Test
    void aPersonAtATerminal() throws IOException {
        start(Fixtures.simple());
        String banner = term.awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("nix-build-shell: in the build sandbox of"), banner);
        assertTrue(banner.contains("genericBuild"), "the banner does not mention stdenv's setup:\n" + banner);

        // output only the shell can produce: the typed line shows $((6*7)), not 42
        term.type("echo out-$((6*7))");
        term.awaitScreen("a command's output", s -> s.contains("out-42"));

        term.type("type genericBuild | head -n 1");
        term.awaitScreen("stdenv's setup sourced", s -> s.contains("genericBuild is a function"));

        term.type("tty");
        term.awaitScreen("tty names a device", s -> TTY.matcher(s).find());

        // Ctrl-C interrupts the foreground job, not the shell
        term.type("sleep " + marker);
        awaitSleep();
        term.keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c did not end sleep");
        term.type("echo alive-$((1+1))");
        term.awaitScreen("the shell survived C-c", s -> s.contains("alive-2"));

        // Ctrl-Z suspends it, jobs lists it, fg resumes it, Ctrl-C ends it
        term.type("sleep " + marker);
        long sleep = awaitSleep();
        term.keys("C-z");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.state(sleep).equals("T")), "C-z did not stop sleep");
        term.type("jobs; echo jobs-$((2+3))");
        String jobs = term.awaitScreen("jobs", s -> s.contains("jobs-5"));
        assertTrue(Pattern.compile("(?m)^\\[1\\]\\+\\s+Stopped\\s+sleep " + Pattern.quote(marker) + "$")
                .matcher(jobs.substring(jobs.lastIndexOf("jobs; echo"))).find(), "jobs shows no stopped sleep:\n" + jobs);
        term.type("fg");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.state(sleep).equals("T")), "fg did not resume sleep");
        term.keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c after fg did not end sleep");
        term.type("echo back-$((3+4))");
        term.awaitScreen("the shell after fg and C-c", s -> s.contains("back-7"));

        term.type("exit 3");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).endsWith("\n")),
                "the tool did not end after exit 3:\n" + term.screen());
        assertEquals("EXIT=3\n", Procs.read(status));
        assertEquals(List.of(), Tool.leftovers(tmpdir), "a temp root was left behind");
        term.type("typed-after");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).contains("read=")), "no read after the tool:\n" + term.screen());
        assertEquals("EXIT=3\nread=0:typed-after\n", Procs.read(status), "the terminal was not handed back");
    }

    /** Issue 11: an interactive session that changed /build ends with one line about the working copy. */
    @Test
    void aSessionWithChangesSaysWhereTheyStay() {
        start(Fixtures.simple());
        term.awaitScreen("the prompt", s -> s.contains(PROMPT));
        term.type("echo fix > /build/fixed; exit");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).endsWith("\n")), "the tool did not end:\n" + term.screen());
        String screen = term.screen();
        assertTrue(Pattern.compile("nix-build-shell: 1 file\\(s\\) changed in /build; the working copy stays at \\S+ "
                + "\\([0-9.]+ \\S+\\) for the next run: 'nix-build-shell --diff \\S+' shows the changes, --fresh drops them")
                .matcher(screen.replace("\n", "")).find(), "no line about the working copy:\n" + screen);
    }

    @Test
    void ctrlCReachesACommandOnceWhenStdinIsNotTheTerminal() {
        // stdin from /dev/null, but the terminal is still the controlling one: Ctrl-C goes to the
        // tool's process group. The command must get it once, not also passed on by the tool.
        // It counts the INTs it gets until 2 s after the first (each ends the short foreground sleep).
        String script = "n=0; first=; trap 'n=$((n+1)); first=${first:-$SECONDS}' INT; echo ready;"
                + " while [ $SECONDS -lt 60 ] && { [ -z \"$first\" ] || [ $SECONDS -lt $((first + 2)) ]; }; do sleep 0.2; done;"
                + " echo count=$n";
        startTmux(tool(Fixtures.simple(), "bash", "-c", script) + " </dev/null; echo EXIT=$? > " + Tmux.quote(status));
        term.awaitScreen("ready", s -> s.contains("ready"));
        term.keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.read(status).endsWith("\n")), "the tool did not end:\n" + term.screen());
        String screen = term.screen();
        assertTrue(screen.contains("count=1\n"), "the INT trap should have run once:\n" + screen);
        assertEquals("EXIT=0\n", Procs.read(status), screen);
        assertEquals(List.of(), Tool.leftovers(tmpdir), "a temp root was left behind");
    }

    /**
     * Issue 10: a stdenv build (fixture (b), failed in checkPhase) is like nix-shell. The open
     * copy: this is not about the 0600 env-vars, which the unprivileged user could not read.
     */
    @Test
    void aStdenvBuildAtATerminal() {
        start(Fixtures.get("FIXTURE_STDENV_CHECK_OPEN"));
        String banner = term.awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("the build failed in checkPhase"), "the banner does not name checkPhase:\n" + banner);
        assertTrue(banner.contains(Fixtures.get("EXPECT_STDENV_CHECK_ERROR")), "no end of the log:\n" + banner);

        term.type("shopt nullglob; shopt -o pipefail; echo opts-$((1+1))");
        String opts = term.awaitScreen("the shell options", s -> s.contains("opts-2"));
        assertTrue(Pattern.compile("(?m)^nullglob\\s+off$").matcher(opts).find(), "nullglob is on:\n" + opts);
        assertTrue(Pattern.compile("(?m)^pipefail\\s+on$").matcher(opts).find(), "pipefail is off:\n" + opts);

        // the phase fails on the test, as in Nix: its state (foundMakefile…) is back
        term.type("runPhase checkPhase; echo check-$((2+2))");
        String check = term.awaitScreen("checkPhase", s -> s.contains("check-4"));
        assertTrue(check.contains(Fixtures.get("EXPECT_STDENV_CHECK_ERROR") + "\n"), check);

        term.type("cd /build; unpackPhase; echo unpacked-$((3+3))");
        term.awaitScreen("unpackPhase in /build", s -> s.contains("unpacked-6"));
        // without the source root, unpackPhase calls exit 1: back to the prompt, not out of the shell
        term.type("unset sourceRoot; unpackPhase");
        term.awaitScreen("unpackPhase's exit", s -> s.contains("called 'exit 1'"));
        term.type("echo status-$?-alive-$((4+4))");
        String after = term.awaitScreen("the shell after unpackPhase's exit", s -> s.contains("-alive-8"));
        assertTrue(after.contains("status-130-alive-8"), after);
        assertTrue(!after.contains("@nix"), "an @nix line reached the terminal:\n" + after);
        assertEquals("", Procs.read(status), "the tool ended");
    }

    /**
     * Issue 18: a renamed copy: its name leads to no build log, but its env-vars names the derivation
     * (name and outputs), whose log gives the failed phase.
     */
    @Test
    void aRenamedStdenvBuildKeepsItsLog() throws Exception {
        Path kept = tmp.resolve("kept");
        Process cp = new ProcessBuilder("cp", "-a", Fixtures.get("FIXTURE_STDENV_CHECK_OPEN"), kept.toString())
                .inheritIO().start();
        assertEquals(0, cp.waitFor());
        start(kept);
        String banner = term.awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("the build failed in checkPhase"), "the banner does not name checkPhase:\n" + banner);
        assertTrue(banner.contains("(the derivation with this build's outputs)"), banner);
        term.type("echo found-$foundMakefile-$((5+5))");
        term.awaitScreen("a shell with the phase state", s -> s.contains("found-1-10"));
    }

    private long awaitSleep() {
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + term.screen());
        return Procs.withArgv("sleep", marker).get(0);
    }

    private void tmuxQuietly(String... args) {
        try {
            term.run(args);
        } catch (AssertionError ignored) {
            // the server is already gone
        }
    }

    private static boolean tmuxInstalled() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
