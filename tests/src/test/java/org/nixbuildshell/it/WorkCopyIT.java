package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the working copy lasts across runs; --diff, --fresh, concurrent first runs and a
 * launcher killed mid-copy. Every test checks that the kept directory is byte-identical afterwards.
 * Uses the open stdenv fixture (readable by the unprivileged test user too).
 */
class WorkCopyIT {
    private static final String SOURCE_ROOT = "nbs-stdenv-build-1.0";

    @TempDir
    Path tmp;

    private static Path kept() {
        return Path.of(Fixtures.get("FIXTURE_STDENV_BUILD_OPEN"));
    }

    /** The working copies made for this test's runs. */
    private List<Path> copies() throws IOException {
        Path cache = Tool.cacheFor(tmp).resolve("nix-build-shell");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void anEditSurvivesDiffIsThePatchResumeBuildsOnItAndFreshPutsBackTheFailure() throws Exception {
        String before = TreeChecksum.of(kept());
        Tool.Result fix = Tool.run(tmp, kept(), "bash", "-c", Fixtures.get("FIX_STDENV_BUILD"));
        assertEquals(0, fix.status(), fix.toString());
        assertEquals(1, copies().size(), "the edited working copy was not kept\n" + fix);

        Tool.Result again = Tool.run(tmp, kept(), "cat", "hello.c");
        assertEquals(0, again.status(), again.toString());
        assertFalse(again.stdout().contains("answer - 42"), "the edit did not survive to the next run\n" + again);
        String edited = again.stdout();

        Tool.Result diff = Tool.run(tmp, "--diff", kept());
        assertEquals(0, diff.status(), diff.toString());
        assertEquals(List.of("--- a/hello.c", "+++ b/hello.c"),
                diff.stdout().lines().filter(l -> l.startsWith("--- ") || l.startsWith("+++ ")).toList(), diff.toString());
        assertEquals(List.of("-    return answer - 42;", "+    return 0;"),
                diff.stdout().lines().filter(l -> l.matches("^[-+][^-+].*")).toList(), "not exactly the edit\n" + diff);

        // the patch applies with -p1 to a fresh copy of the source and gives the edited file
        Path source = tmp.resolve("source");
        run("cp", "-r", kept().resolve(SOURCE_ROOT).toString(), source.toString());
        Path patch = tmp.resolve("fix.patch");
        Files.writeString(patch, diff.stdout());
        run("patch", "-p1", "-d", source.toString(), "-i", patch.toString());
        assertEquals(edited, Files.readString(source.resolve("hello.c")));

        Tool.Result resume = Tool.run(tmp, "--resume", kept());
        assertEquals(0, resume.status(), "--resume did not build on the fixed copy\n" + resume);

        Tool.Result fresh = Tool.run(tmp, "--fresh", "--resume", kept());
        assertNotEquals(0, fresh.status(), fresh.toString());
        assertTrue(fresh.stderr().contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR").replace("\\", ""))
                || fresh.stdout().contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR").replace("\\", "")),
                "--fresh did not put back the failure\n" + fresh);
        Tool.Result pristine = Tool.run(tmp, kept(), "cat", "hello.c");
        assertTrue(pristine.stdout().contains("answer - 42"), "--fresh did not start over\n" + pristine);

        assertEquals(before, TreeChecksum.of(kept()), "the kept directory changed");
        assertEquals(List.of(), Tool.leftovers(tmp).stream().filter(n -> n.startsWith("nix-build-shell")).toList());
    }

    @Test
    void aCopyNobodyChangedIsRemovedAtExit() throws IOException {
        Tool.Result r = Tool.run(tmp, kept(), "cat", "hello.c");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of(), copies(), "an unchanged working copy was left\n" + r);
        Tool.Result d = Tool.run(tmp, "--diff", kept());
        assertEquals(0, d.status(), d.toString());
        assertEquals("", d.stdout(), d.toString());
    }

    @Test
    void keepRootKeepsEvenAnUnchangedCopyAndSaysWhere() throws IOException {
        Tool.Result r = Tool.run(tmp, "--keep-root", kept(), "true");
        assertEquals(0, r.status(), r.toString());
        List<Path> copies = copies();
        assertEquals(1, copies.size(), r.toString());
        assertTrue(r.stderr().contains("kept the sandbox root at " + copies.get(0).resolve("root")), r.toString());
        assertTrue(Files.isRegularFile(copies.get(0).resolve("root/build/env-vars")), r.toString());
    }

    /** A working copy left by a killed launcher is reused, and removed by the next run that changes nothing. */
    @Test
    void aCopyLeftByAKilledLauncherIsReusedAndThenRemoved() throws IOException {
        String marker = Procs.marker();
        var tool = new LifecycleIT.RunningTool(tmp, kept(), "sh", "-c", "echo ready; sleep " + marker);
        tool.awaitStdout("ready");
        Procs.signal(tool.pid(), "KILL");
        tool.waitFor();
        assertTrue(Procs.waitUntil(Duration.ofSeconds(2), () -> Procs.withArgv("sleep", marker).isEmpty()));
        assertEquals(1, copies().size());
        assertEquals(List.of(), Tool.leftovers(tmp));
        Tool.Result next = Tool.run(tmp, "-v", kept(), "true");
        assertEquals(0, next.status(), next.toString());
        assertTrue(next.stderr().contains("reusing"), next.toString());
        assertEquals(List.of(), copies(), next.toString());
    }

    @Test
    void twoConcurrentFirstRunsMakeOneCopy() throws IOException {
        String before = TreeChecksum.of(kept());
        // each waits for the other's file: they run at the same time; the later one joins the earlier's
        // sandbox, which lasts until both have ended
        String both = "while [ ! -e /build/from-a ] || [ ! -e /build/from-b ]; do sleep 0.1; done";
        var a = new LifecycleIT.RunningTool(tmp, "-v", kept(), "sh", "-c", "touch /build/from-a; " + both);
        var b = new LifecycleIT.RunningTool(tmp, "-v", kept(), "sh", "-c", "touch /build/from-b; " + both);
        int sa;
        int sb;
        try {
            sa = a.waitFor();
            sb = b.waitFor();
        } finally {
            a.kill(); // a failed wait must not leave a sandbox waiting for a file forever
            b.kill();
        }
        assertEquals(List.of(0, 0), List.of(sa, sb), "both finish their own work\n" + a + b);
        assertEquals(1, count(a.stderr() + b.stderr(), "joining it"), "the second did not join the first\n" + a + b);
        assertEquals(1, count(a.stderr() + b.stderr(), "clone: init is pid"), "the joining run started an init\n" + a + b);
        int copiesMade = count(a.stderr(), "copy: done") + count(b.stderr(), "copy: done");
        assertEquals(1, copiesMade, "not exactly one copy was made\n" + a + b);
        List<Path> copies = copies();
        assertEquals(1, copies.size(), copies.toString());
        Path build = copies.get(0).resolve("root/build");
        assertTrue(Files.exists(build.resolve("from-a")) && Files.exists(build.resolve("from-b")),
                "the two runs did not share the copy");
        assertEquals(before, TreeChecksum.of(kept()), "the kept directory changed");
    }

    @Test
    void afterSigkillMidCopyTheNextRunCopiesAgain() throws Exception {
        // a kept directory big enough that the copy takes seconds: the fixture plus many small files
        Path big = tmp.resolve("kept");
        run("cp", "-a", kept().toString(), big.toString());
        byte[] block = new byte[4096];
        for (int i = 0; i < 6000; i++) {
            Path d = big.resolve("gen/" + (i % 60));
            Files.createDirectories(d);
            Files.write(d.resolve("f" + i), block);
        }
        String before = TreeChecksum.of(big);
        var first = new LifecycleIT.RunningTool(tmp, "-v", big, "true");
        // killed once cp has begun on gen/: not after a fixed time, which a fast machine's copy outran
        assertTrue(Procs.waitUntil(Duration.ofSeconds(30), this::copyingGen), first.toString());
        Procs.signal(first.pid(), "KILL");
        first.waitFor();
        assertFalse(first.stderr().contains("copy: done"), "the copy ended before the kill; make the tree bigger\n" + first);

        Tool.Result next = Tool.run(tmp, "-v", big, "sh", "-c", "find /build/gen -type f | wc -l; touch /build/edited");
        assertEquals(0, next.status(), next.toString());
        assertTrue(next.stderr().contains("incomplete"), "the half copy was not noticed\n" + next);
        assertTrue(next.stderr().contains("copy: done"), next.toString());
        assertEquals("6000", next.stdout().trim().lines().reduce((x, y) -> y).orElse(""), next.toString());
        List<Path> copies = copies();
        assertEquals(1, copies.size(), copies.toString());
        try (Stream<Path> s = Files.list(copies.get(0))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("copying-")).toList());
        }
        assertEquals(before, TreeChecksum.of(big), "the kept directory changed");
    }

    /** Whether a copy in progress (a copying-* staging directory) has begun on the tree's gen/. */
    private boolean copyingGen() {
        try {
            for (Path copy : copies()) {
                try (Stream<Path> s = Files.list(copy)) {
                    if (s.anyMatch(p -> p.getFileName().toString().startsWith("copying-")
                            && Files.isDirectory(p.resolve("build/gen")))) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            // a directory went while listed: look again
        }
        return false;
    }

    /**
     * The second run enters the first's sandbox; a third, joined too, outlives the first's command:
     * the sandbox lasts until the last attached command ends, and the first's launcher returns at once.
     */
    @Test
    void aSecondRunWhileTheFirstRunsJoinsItsSandboxWhichLastsUntilTheLastCommandEnds() throws IOException {
        String before = TreeChecksum.of(kept());
        String marker = Procs.marker();
        String later = Procs.marker();
        long[] init = {-1};
        var first = new LifecycleIT.RunningTool(tmp, kept(), "sh", "-c", "echo hello > /tmp/first; echo ready; sleep " + marker);
        try {
            first.awaitStdout("ready");
            Tool.Result second = Tool.run(tmp, "-v", kept(), "sh", "-c",
                    "cat /tmp/first; cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo");
            assertEquals(0, second.status(), second.toString());
            assertTrue(second.stdout().startsWith("hello\n"), "not the first's /tmp\n" + second);
            assertTrue(second.stdout().contains("sleep " + marker), "the first's processes are not visible\n" + second);
            // issue 13: whether to join is decided before init is cloned, so a joining run pays for no init JVM
            assertTrue(second.stderr().contains("joining it"), second.toString());
            // the session's init, by the pid the joining run names: other sessions on the machine are not ours
            Matcher initPid = Pattern.compile("\\(init pid (\\d+)\\): joining it").matcher(second.stderr());
            assertTrue(initPid.find(), second.toString());
            init[0] = Long.parseLong(initPid.group(1));
            assertFalse(second.stderr().contains("clone: init is pid"), "the joining run started an init\n" + second);

            var third = new LifecycleIT.RunningTool(tmp, kept(), "sh", "-c", "echo joined; sleep " + later + "; echo third done");
            third.awaitStdout("joined");
            Procs.killAll(Procs.withArgv("sleep", marker)); // the first session's command ends
            assertEquals(137, first.waitFor(), "the first run returns its command's status at once\n" + first);
            assertFalse(Procs.withArgv("sleep", later).isEmpty(), "the joined command died with the first\n" + third);
            Tool.Result fourth = Tool.run(tmp, "-v", kept(), "cat", "/tmp/first");
            assertEquals(0, fourth.status(), fourth.toString());
            assertTrue(fourth.stderr().contains("joining it") && fourth.stdout().equals("hello\n"),
                    "the lasting session is still joined by a new run\n" + fourth);
            Procs.killAll(Procs.withArgv("sleep", later));
            assertEquals(0, third.waitFor(), "the joined command did not finish its own work\n" + third);
            assertTrue(third.stdout().contains("third done"), third.toString());
        } finally {
            Procs.killAll(Procs.withArgv("sleep", marker));
            Procs.killAll(Procs.withArgv("sleep", later));
        }
        assertTrue(Procs.waitUntil(Duration.ofSeconds(10),
                () -> List.of("gone", "Z").contains(Procs.state(init[0]))),
                "the session's init outlived its last command");
        assertTrue(Procs.waitUntil(Duration.ofSeconds(10), () -> {
            try {
                return copies().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }), "the unchanged working copy was left");
        assertEquals(before, TreeChecksum.of(kept()), "the kept directory changed");
    }

    /** A copy an older version named otherwise (same path, device and inode) is this build's: renamed, edits kept. */
    @Test
    void aCopyUnderAnEarlierNameIsAdoptedWithItsEdits() throws IOException {
        Tool.Result edit = Tool.run(tmp, kept(), "sh", "-c", "echo mine > /build/edited");
        assertEquals(0, edit.status(), edit.toString());
        List<Path> made = copies();
        assertEquals(1, made.size(), made.toString());
        Path earlier = made.get(0).resolveSibling(made.get(0).getFileName().toString().replaceFirst("-[0-9a-f]+$", "-0123456789abcdef0123"));
        Files.move(made.get(0), earlier);
        Tool.Result again = Tool.run(tmp, "-v", kept(), "cat", "/build/edited");
        assertEquals(0, again.status(), again.toString());
        assertEquals("mine\n", again.stdout(), "the edit made under the earlier name is lost\n" + again);
        assertTrue(again.stderr().contains("under an earlier name: renamed"), again.toString());
        assertEquals(made, copies(), "the copy is back under this version's name, and alone");
    }

    /** Eight runs at once on one kept build: the later ones join, and each prints its own line and exits 0. */
    @Test
    void eightRunsAtOnceAllFinishTheirOwnWork() throws IOException {
        List<LifecycleIT.RunningTool> runs = new java.util.ArrayList<>();
        try {
            for (int i = 1; i <= 8; i++) {
                runs.add(new LifecycleIT.RunningTool(tmp, kept(), "bash", "-c", "sleep 1; echo c" + i));
            }
            for (int i = 1; i <= 8; i++) {
                var run = runs.get(i - 1);
                assertEquals(0, run.waitFor(), run.toString());
                assertEquals("c" + i + "\n", run.stdout(), run.toString());
            }
        } finally {
            runs.forEach(LifecycleIT.RunningTool::kill);
        }
    }

    /** A joined command starts as the session's own did: one function, fed by the session's plan. */
    @Test
    void aJoinedCommandGetsTheSessionsProcessSettings() throws IOException {
        String marker = Procs.marker();
        String settings = "cat /proc/self/personality; umask; ulimit -c; grep -E '^(NoNewPrivs|Seccomp|CapEff|CapAmb):' /proc/self/status";
        var first = new LifecycleIT.RunningTool(tmp, kept(), "sh", "-c", settings + "; echo ready; sleep " + marker);
        try {
            first.awaitStdout("ready");
            Tool.Result joined = Tool.run(tmp, "-v", kept(), "sh", "-c", settings);
            assertEquals(0, joined.status(), joined.toString());
            assertTrue(joined.stderr().contains("joining it"), joined.toString());
            String own = first.stdout().replace("ready\n", "");
            assertEquals(own, joined.stdout(), "the joined command's settings differ from the session's");
            assertTrue(own.startsWith("00040000\n0022\n0\n"), "personality ADDR_NO_RANDOMIZE, umask 0022, core 0:\n" + own);
            assertTrue(own.contains("NoNewPrivs:\t1") && own.contains("Seccomp:\t2"), own);
        } finally {
            Procs.killAll(Procs.withArgv("sleep", marker));
            first.waitFor();
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
    }
}
