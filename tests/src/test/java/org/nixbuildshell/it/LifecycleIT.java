package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 4: signals, the death of the launcher, orphans and zombies, and the temp root on every exit path. */
class LifecycleIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern KEPT = Pattern.compile("kept the sandbox root at (\\S+)");

    @TempDir
    Path tmp;

    private final String marker = Procs.marker();
    private final List<RunningTool> started = new ArrayList<>();
    /** The launcher's descendants (init, the command...), collected while they ran. */
    private final Set<Procs.Seen> sandbox = new LinkedHashSet<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(RunningTool::kill);
        Procs.killAll(Procs.withArgv("sleep", marker));
        Procs.killAll(Procs.running(sandbox).stream().map(Procs.Seen::pid).toList());
    }

    @Test
    void sigtermEndsTheSandboxWith143() {
        RunningTool tool = start(Fixtures.simple(), "sleep", marker);
        awaitSleep(tool);
        Procs.signal(tool.pid(), "TERM");
        assertEquals(143, tool.waitFor(), tool.toString());
        assertNothingLeft();
    }

    @Test
    void sigtermEndsACommandThatIgnoresIt() {
        // the launcher kills the sandbox after its grace period
        RunningTool tool = start(Fixtures.simple(), "bash", "-c", "trap '' TERM; echo ready; sleep " + marker);
        tool.awaitStdout("ready");
        awaitSleep(tool);
        Procs.signal(tool.pid(), "TERM");
        assertEquals(143, tool.waitFor(), tool.toString());
        assertNothingLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "HUP", "TERM"})
    void signalsReachTheCommand(String signal) {
        RunningTool tool = start(Fixtures.simple(), "bash", "-c",
                "trap 'echo got " + signal + "; exit 5' " + signal + "; echo ready; sleep " + marker + " & wait");
        tool.awaitStdout("ready");
        awaitSleep(tool);
        Procs.signal(tool.pid(), signal);
        assertEquals(5, tool.waitFor(), tool.toString());
        assertEquals("ready\ngot " + signal + "\n", tool.stdout(), tool.toString());
        assertNothingLeft();
    }

    @Test
    void signalsReachTheCommandsWholeProcessGroup() {
        // init passes a signal to the command's process group, as Bazel's pid 1 does: the child the
        // command waits for gets it too, not only a SIGKILL once the command is gone
        // the command traps TERM too, so it waits for its child to handle the signal: the test does not
        // race init's end-of-session kill of whatever the command left behind
        RunningTool tool = start(Fixtures.simple(), "bash", "-c", "trap 'exit 143' TERM; "
                + "bash -c 'trap \"echo child got TERM; exit 0\" TERM; echo ready; while :; do sleep 0.1; done'; echo parent went on");
        tool.awaitStdout("ready");
        Procs.signal(tool.pid(), "TERM");
        assertEquals(143, tool.waitFor(), tool.toString());
        assertEquals("ready\nchild got TERM\n", tool.stdout(), tool.toString());
    }

    /** With --new: a temp root in TMPDIR, which stale-root cleanup is about (a working copy lasts anyway). */
    @Test
    void sigkillOfTheLauncherTakesTheSandboxDown() {
        RunningTool tool = start("--new", Fixtures.simple(), "sleep", marker);
        awaitSleep(tool);
        Procs.signal(tool.pid(), "KILL");
        assertTrue(Procs.waitUntil(Duration.ofSeconds(1), () -> !Procs.sleepRunning(marker)),
                "the command outlived the launcher by more than 1 s");
        assertTrue(Procs.waitUntil(Duration.ofSeconds(1), () -> Procs.running(sandbox).isEmpty()),
                "the sandbox outlived the launcher by more than 1 s: " + Procs.running(sandbox));
        tool.waitFor();

        // nobody could clean up: the next start does, as the owner is gone
        assertEquals(1, Tool.leftovers(tmp).size(), "the killed launcher's root: " + Tool.leftovers(tmp));
        Tool.Result next = Tool.run(tmp, Fixtures.simple(), "true");
        assertEquals(0, next.status(), next.toString());
        assertEquals(List.of(), Tool.leftovers(tmp), "the stale root was not removed\n" + next);
    }

    @Test
    void aKeptRootSurvivesAKilledLauncherAndTheNextStart() throws IOException {
        RunningTool tool = start("--new", "--keep-root", Fixtures.simple(), "sleep", marker);
        awaitSleep(tool);
        Procs.signal(tool.pid(), "KILL");
        assertTrue(Procs.waitUntil(Duration.ofSeconds(1), () -> !Procs.sleepRunning(marker)));
        tool.waitFor();
        List<String> kept = Tool.leftovers(tmp);
        assertEquals(1, kept.size(), kept.toString());

        Tool.Result next = Tool.run(tmp, Fixtures.simple(), "true");
        assertEquals(0, next.status(), next.toString());
        assertEquals(kept, Tool.leftovers(tmp), "stale-root cleanup removed a --keep-root root");
        Dirs.delete(tmp.resolve(kept.get(0)));
    }

    @Test
    void aBackgroundProcessDoesNotKeepTheToolAlive() {
        long begin = System.nanoTime();
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), "bash", "-c", "sleep " + marker + " & echo started");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
        assertEquals(0, r.status(), r.toString());
        assertEquals("started\n", r.stdout(), r.toString());
        assertTrue(seconds < 30, "took " + seconds + " s");
        // init killed and reaped it before exiting: no polling needed
        assertFalse(Procs.sleepRunning(marker), "the background sleep survived the tool");
        assertEquals(List.of(), Tool.leftovers(tmp));
    }

    @Test
    void orphansAreReaped() {
        // each subshell exits at once; its child is re-parented to init, which must reap it when it ends
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), "bash", "-c",
                "(sleep 0.1 &); (sleep 0.1 &); (true &); sleep 0.6; ps -eo stat,pid,comm");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.size() >= 2 && lines.get(0).trim().startsWith("STAT"), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.trim().endsWith("ps")), r.toString());
        assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("Z")), "zombies inside:\n" + r.stdout());
        assertEquals(List.of(), Tool.leftovers(tmp));
    }

    @Test
    void keepRootKeepsAndPrintsTheRoot() throws IOException {
        Tool.Result r = Tool.run(tmp, "--new", "--keep-root", Fixtures.simple(), "touch", "/build/made-inside");
        assertEquals(0, r.status(), r.toString());
        Matcher m = KEPT.matcher(r.stderr());
        assertTrue(m.find(), r.toString());
        Path root = Path.of(m.group(1));
        try {
            assertTrue(root.startsWith(tmp), root.toString());
            assertTrue(Files.isRegularFile(root.resolve("build/env-vars")), "no copy of the build in " + root);
            assertTrue(Files.exists(root.resolve("build/made-inside")), "the command's file is not in " + root);
        } finally {
            Dirs.delete(tmp.resolve(tmp.relativize(root).getName(0)));
        }
        assertEquals(List.of(), Tool.leftovers(tmp));
    }

    @Test
    void withoutKeepRootNothingRemains() {
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), "bash", "-c", "mkdir -p /build/a/b && chmod 0 /build/a; exit 4");
        assertEquals(4, r.status(), r.toString());
        assertFalse(r.stderr().contains("kept the sandbox root"), r.toString());
        assertEquals(List.of(), Tool.leftovers(tmp), r.toString());
    }

    /** Wait for the command's sleep, then note the launcher's descendants: init, the shell, the sleep. */
    private void awaitSleep(RunningTool tool) {
        assertTrue(Procs.waitUntil(START, () -> Procs.sleepRunning(marker)), "sleep " + marker + " never started");
        sandbox.addAll(Procs.descendants(tool.pid()));
        List<Long> pids = sandbox.stream().map(Procs.Seen::pid).toList();
        assertTrue(pids.containsAll(Procs.withArgv("sleep", marker)) && pids.size() >= 2,
                "the launcher's descendants should be init and the command: " + sandbox);
    }

    private void assertNothingLeft() {
        assertFalse(Procs.sleepRunning(marker), "sleep " + marker + " is still running");
        assertEquals(List.of(), Procs.running(sandbox), "processes of the sandbox are still running");
        assertEquals(List.of(), Tool.leftovers(tmp), "a temp root was left behind");
    }

    private RunningTool start(Object... args) {
        RunningTool tool = new RunningTool(tmp, args);
        started.add(tool);
        return tool;
    }

    /** The tool running in the background, not in a terminal, its output collected as it comes. */
    static final class RunningTool {
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread[] pumps;

        RunningTool(Path tmpdir, Object... args) {
            this(tmpdir, Map.of(), args);
        }

        RunningTool(Path tmpdir, Map<String, String> env, Object... args) {
            List<String> cmd = new ArrayList<>();
            // A session of its own, without a controlling terminal: when the tests run from a terminal,
            // a signal sent here must not look like a Ctrl-C typed there. (Not a group leader: no fork.)
            cmd.add("setsid");
            // A JVM started in the background by a script inherits SIGINT ignored, and passes that on;
            // the tool (like any program) keeps ignored signals ignored. Start it with the defaults.
            cmd.add("env");
            cmd.add("--default-signal=INT,QUIT,HUP,TERM");
            cmd.add(Tool.SCRIPT.toString()); // it execs java: the pid is the launcher's
            for (Object a : args) {
                cmd.add(a.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("TMPDIR", tmpdir.toString());
            pb.environment().put("XDG_CACHE_HOME", Tool.cacheFor(tmpdir).toString());
            pb.environment().putAll(env);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pumps = new Thread[] {pump(process.getInputStream(), out), pump(process.getErrorStream(), err)};
        }

        long pid() {
            return process.pid();
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitStdout(String line) {
            assertTrue(Procs.waitUntil(START, () -> stdout().lines().anyMatch(line::equals)),
                    "never printed " + line + "\n" + this);
        }

        /** The exit status; fails after 30 s. */
        int waitFor() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("nix-build-shell did not end within 30 s\n" + this);
                }
                for (Thread t : pumps) {
                    t.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertNotEquals(-1, process.exitValue());
            return process.exitValue();
        }

        void kill() {
            process.destroyForcibly();
        }

        @Override
        public String toString() {
            return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
        }

        private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (sink) {
                            sink.write(buf, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
