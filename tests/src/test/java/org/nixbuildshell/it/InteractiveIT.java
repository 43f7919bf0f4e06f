package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
    private static final Duration SCREEN = Duration.ofSeconds(60);
    private static final String PROMPT = "[nix-build-shell:/build";
    private static final Pattern TTY = Pattern.compile("(?m)^/dev/pts/\\d+$");

    @TempDir
    Path tmp;

    private Path socket;
    private Path config;
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
        tmux("new-session", "-d", "-s", "nbs", "-x", "120", "-y", "40", line);
    }

    /** The tool on {@code fixture}, in a new tmux session; the caller's shell reads a line after it. */
    private void start(Object fixture) {
        startTmux(tool(fixture) + "; echo EXIT=$? > " + q(status)
                // the caller can use the terminal again once the tool is done (the inner shell took it)
                + "; read -r line; echo \"read=$?:$line\" >> " + q(status));
    }

    private String tool(Object... args) {
        StringBuilder line = new StringBuilder("TMPDIR=" + q(tmpdir) + " XDG_CACHE_HOME=" + q(Tool.cacheFor(tmpdir))
                + " " + q(Tool.SCRIPT));
        for (Object a : args) {
            line.append(' ').append(q(a));
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
        String banner = awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("nix-build-shell: in the build sandbox of"), banner);
        assertTrue(banner.contains("genericBuild"), "the banner does not mention stdenv's setup:\n" + banner);

        // output only the shell can produce: the typed line shows $((6*7)), not 42
        type("echo out-$((6*7))");
        awaitScreen("a command's output", s -> s.contains("out-42"));

        type("type genericBuild | head -n 1");
        awaitScreen("stdenv's setup sourced", s -> s.contains("genericBuild is a function"));

        type("tty");
        awaitScreen("tty names a device", s -> TTY.matcher(s).find());

        // Ctrl-C interrupts the foreground job, not the shell
        type("sleep " + marker);
        awaitSleep();
        keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c did not end sleep");
        type("echo alive-$((1+1))");
        awaitScreen("the shell survived C-c", s -> s.contains("alive-2"));

        // Ctrl-Z suspends it, jobs lists it, fg resumes it, Ctrl-C ends it
        type("sleep " + marker);
        long sleep = awaitSleep();
        keys("C-z");
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.state(sleep).equals("T")), "C-z did not stop sleep");
        type("jobs; echo jobs-$((2+3))");
        String jobs = awaitScreen("jobs", s -> s.contains("jobs-5"));
        assertTrue(Pattern.compile("(?m)^\\[1\\]\\+\\s+Stopped\\s+sleep " + Pattern.quote(marker) + "$")
                .matcher(jobs.substring(jobs.lastIndexOf("jobs; echo"))).find(), "jobs shows no stopped sleep:\n" + jobs);
        type("fg");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.state(sleep).equals("T")), "fg did not resume sleep");
        keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> !Procs.sleepRunning(marker)), "C-c after fg did not end sleep");
        type("echo back-$((3+4))");
        awaitScreen("the shell after fg and C-c", s -> s.contains("back-7"));

        type("exit 3");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).endsWith("\n")),
                "the tool did not end after exit 3:\n" + screen());
        assertEquals("EXIT=3\n", read(status));
        assertEquals(List.of(), Tool.leftovers(tmpdir), "a temp root was left behind");
        type("typed-after");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).contains("read=")), "no read after the tool:\n" + screen());
        assertEquals("EXIT=3\nread=0:typed-after\n", read(status), "the terminal was not handed back");
    }

    /** Issue 11: an interactive session that changed /build ends with one line about the working copy. */
    @Test
    void aSessionWithChangesSaysWhereTheyStay() {
        start(Fixtures.simple());
        awaitScreen("the prompt", s -> s.contains(PROMPT));
        type("echo fix > /build/fixed; exit");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).endsWith("\n")), "the tool did not end:\n" + screen());
        String screen = screen();
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
        startTmux(tool(Fixtures.simple(), "bash", "-c", script) + " </dev/null; echo EXIT=$? > " + q(status));
        awaitScreen("ready", s -> s.contains("ready"));
        keys("C-c");
        assertTrue(Procs.waitUntil(SCREEN, () -> read(status).endsWith("\n")), "the tool did not end:\n" + screen());
        String screen = screen();
        assertTrue(screen.contains("count=1\n"), "the INT trap should have run once:\n" + screen);
        assertEquals("EXIT=0\n", read(status), screen);
        assertEquals(List.of(), Tool.leftovers(tmpdir), "a temp root was left behind");
    }

    /**
     * Issue 10: a stdenv build (fixture (b), failed in checkPhase) is like nix-shell. The open
     * copy: this is not about the 0600 env-vars, which the unprivileged user could not read.
     */
    @Test
    void aStdenvBuildAtATerminal() {
        start(Fixtures.get("FIXTURE_STDENV_CHECK_OPEN"));
        String banner = awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("the build failed in checkPhase"), "the banner does not name checkPhase:\n" + banner);
        assertTrue(banner.contains(Fixtures.get("EXPECT_STDENV_CHECK_ERROR")), "no end of the log:\n" + banner);

        type("shopt nullglob; shopt -o pipefail; echo opts-$((1+1))");
        String opts = awaitScreen("the shell options", s -> s.contains("opts-2"));
        assertTrue(Pattern.compile("(?m)^nullglob\\s+off$").matcher(opts).find(), "nullglob is on:\n" + opts);
        assertTrue(Pattern.compile("(?m)^pipefail\\s+on$").matcher(opts).find(), "pipefail is off:\n" + opts);

        // the phase fails on the test, as in Nix: its state (foundMakefile…) is back
        type("runPhase checkPhase; echo check-$((2+2))");
        String check = awaitScreen("checkPhase", s -> s.contains("check-4"));
        assertTrue(check.contains(Fixtures.get("EXPECT_STDENV_CHECK_ERROR") + "\n"), check);

        type("cd /build; unpackPhase; echo unpacked-$((3+3))");
        awaitScreen("unpackPhase in /build", s -> s.contains("unpacked-6"));
        // without the source root, unpackPhase calls exit 1: back to the prompt, not out of the shell
        type("unset sourceRoot; unpackPhase");
        awaitScreen("unpackPhase's exit", s -> s.contains("called 'exit 1'"));
        type("echo status-$?-alive-$((4+4))");
        String after = awaitScreen("the shell after unpackPhase's exit", s -> s.contains("-alive-8"));
        assertTrue(after.contains("status-130-alive-8"), after);
        assertTrue(!after.contains("@nix"), "an @nix line reached the terminal:\n" + after);
        assertEquals("", read(status), "the tool ended");
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
        String banner = awaitScreen("the banner and the prompt", s -> s.contains(PROMPT));
        assertTrue(banner.contains("the build failed in checkPhase"), "the banner does not name checkPhase:\n" + banner);
        assertTrue(banner.contains("(the derivation with this build's outputs)"), banner);
        type("echo found-$foundMakefile-$((5+5))");
        awaitScreen("a shell with the phase state", s -> s.contains("found-1-10"));
    }

    private long awaitSleep() {
        assertTrue(Procs.waitUntil(SCREEN, () -> Procs.sleepRunning(marker)), "sleep never started:\n" + screen());
        return Procs.withArgv("sleep", marker).get(0);
    }

    /** Type a line and press Enter. */
    private void type(String line) {
        tmux("send-keys", "-t", "nbs", "-l", line);
        tmux("send-keys", "-t", "nbs", "Enter");
    }

    private void keys(String key) {
        tmux("send-keys", "-t", "nbs", key);
    }

    /** Poll the screen until {@code done} holds; returns that screen. */
    private String awaitScreen(String what, Predicate<String> done) {
        String[] last = {""};
        boolean ok = Procs.waitUntil(SCREEN, () -> done.test(last[0] = screen()));
        assertTrue(ok, "never saw " + what + "; the screen:\n" + last[0]);
        return last[0];
    }

    /** The pane's text, wrapped lines joined (-J keeps their trailing blanks: dropped), with its history. */
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

    private void tmuxQuietly(String... args) {
        try {
            tmux(args);
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
