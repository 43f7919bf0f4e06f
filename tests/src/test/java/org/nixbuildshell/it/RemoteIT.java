package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: a build kept on a remote builder, entered over ssh. The builder is
 * scripts/remote-builder's: a network namespace on this machine with its own
 * sshd, where Nix built the `simple` fixture through its remote-builder path
 * (nix-build --builders ssh://... --max-jobs 0 --keep-failed). As root, ssh
 * takes its options from NIX_SSHOPTS (root's ~/.ssh is left alone); as the
 * test user, from that user's own ~/.ssh/config, which includes the builder.
 */
class RemoteIT {
    static final Path STATE = Path.of(System.getenv().getOrDefault("NBS_REMOTE_BUILDER",
            "/var/lib/nix-build-shell/remote-builder"));
    static final boolean ROOT = Tool.uid() == 0;
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path tmp;

    /** A value of remote.env, written by scripts/remote-builder start. */
    static String env(String name) {
        try {
            for (String line : Files.readAllLines(STATE.resolve("remote.env"))) {
                if (line.startsWith(name + "=")) {
                    return line.substring(name.length() + 1);
                }
            }
        } catch (IOException e) {
            fail("no remote builder (" + e.getMessage() + "): run 'sudo scripts/remote-builder start' first");
        }
        return fail(name + " is not in " + STATE.resolve("remote.env"));
    }

    static String kept() {
        return env("REMOTE_KEPT");
    }

    /** The ssh:// URI of the kept build, through the builder's alias in the user's ssh configuration. */
    static String uri(String path) {
        return "ssh://" + env("REMOTE_ALIAS") + path;
    }

    /** The environment of a run: root's ssh configuration comes in NIX_SSHOPTS, the test user has its own. */
    static Map<String, String> sshEnv() {
        Map<String, String> env = new HashMap<>();
        if (ROOT) {
            env.put("NIX_SSHOPTS", "-F " + STATE.resolve("client/root/ssh_config"));
        }
        return env;
    }

    private Tool.Result run(Object... args) {
        return Tool.run(tmp, sshEnv(), args);
    }

    @Test
    void aCommandRunsOnTheBuilderWithItsExitStatus() {
        Tool.Result r = run("--fresh", uri(kept()), "sh", "-c", "cat subdir/hello.txt; echo to-stderr >&2; exit 3");
        assertEquals(3, r.status(), r.toString());
        assertEquals("hello from subdir\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("to-stderr"), r.toString());
        // the run happened there: the builder's kept directory is not on this machine's usual place
        assertTrue(kept().startsWith(STATE.toString()), kept());
    }

    @Test
    void diffComesBackToThisMachine() {
        Tool.Result change = run("--fresh", uri(kept()), "sh", "-c", "echo remote-change >> subdir/hello.txt");
        assertEquals(0, change.status(), change.toString());
        Tool.Result diff = run("--diff", uri(kept()));
        assertEquals(0, diff.status(), diff.toString());
        assertTrue(diff.stdout().startsWith("--- a/subdir/hello.txt\n+++ b/subdir/hello.txt\n"), diff.toString());
        assertTrue(diff.stdout().contains("\n+remote-change\n"), diff.toString());
        assertFalse(diff.stdout().contains("\r"), "a pty's line endings in the patch:\n" + diff);
        assertEquals(0, run("--fresh", uri(kept()), "true").status());
    }

    @Test
    void firstUseShipsTheJarsOnceCheckedByHash() throws Exception {
        String dist = "$HOME/.cache/nix-build-shell/dist";
        assertEquals(0, ssh("rm -rf " + dist).status());
        Tool.Result first = run("-v", uri(kept()), "true");
        assertEquals(0, first.status(), first.toString());
        assertTrue(first.stderr().contains("ship: "), "nothing shipped:\n" + first);
        // the copy there is whole: every file as the manifest says
        Result check = ssh("cd " + dist + "/* && sha256sum -c --quiet nix-build-shell.sha256 && ls launcher/target/lib");
        assertEquals(0, check.status(), check.toString());
        assertTrue(check.stdout().contains("nix-build-shell-launcher.jar"), check.toString());
        Tool.Result second = run("-v", uri(kept()), "true");
        assertEquals(0, second.status(), second.toString());
        assertFalse(second.stderr().contains("ship: "), "shipped again:\n" + second);
    }

    /**
     * Two first uses at once both run, and the builder keeps one whole copy with nothing of an upload
     * left beside or inside it. (Whether both upload depends on timing: the second's probe usually
     * finds the first's copy. upload.sh takes a lock and keeps a copy that is already whole.)
     */
    @Test
    void twoFirstUsesAtOnceLeaveOneWholeCopy() throws Exception {
        String dist = "$HOME/.cache/nix-build-shell/dist";
        assertEquals(0, ssh("rm -rf " + dist).status());
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(uri(kept()), "true"));
        Tool.Result second = run(uri(kept()), "true");
        assertEquals(0, second.status(), second.toString());
        assertEquals(0, first.get().status(), first.get().toString());
        Result check = ssh("cd " + dist + " && ls -A && cd * && sha256sum -c --quiet nix-build-shell.sha256 && ls -A");
        assertEquals(0, check.status(), check.toString());
        List<String> names = check.stdout().lines().toList();
        assertFalse(names.stream().anyMatch(n -> n.startsWith(".incoming")), "an upload left its files: " + names);
    }

    @Test
    void onAHostOfNixsBuildersList() throws IOException {
        // the machines entry brings its key and host key, as Nix's own remote builds use them
        Map<String, String> env = new HashMap<>();
        env.put("NIX_CONFIG", "builders = @" + STATE.resolve("client/" + USER + "/machines"));
        Tool.Result r = Tool.run(tmp, env, "--on", env("REMOTE_ADDR"), kept(), "cat", "subdir/nested/deep.txt");
        assertEquals(0, r.status(), r.toString());
        assertEquals("deep\n", r.stdout());
        // ssh://HOST/PATH of a listed builder takes the same key, host key and user
        Tool.Result uri = Tool.run(tmp, env, "ssh://" + env("REMOTE_ADDR") + kept(), "cat", "subdir/hello.txt");
        assertEquals(0, uri.status(), uri.toString());
        assertEquals("hello from subdir\n", uri.stdout());
    }

    /** --on forwards --list and --last as they are: the builder's kept builds, listed and entered there. */
    @Test
    void onWithListAndLast() {
        Tool.Result list = run("--on", env("REMOTE_ALIAS"), "--list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.stdout().lines().anyMatch(l -> l.contains("nbs-simple") && l.endsWith(kept())), list.toString());
        Tool.Result last = run("--on", env("REMOTE_ALIAS"), "--last", "sh", "-c", "cat subdir/nested/deep.txt; exit 9");
        assertEquals(9, last.status(), last.toString());
        assertEquals("deep\n", last.stdout(), last.toString());
    }

    @Test
    void theProbeMatchesTheLocalRunOnTheSameBuild() {
        Tool.Result remote = run(uri(kept()), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
        assertEquals(0, remote.status(), remote.toString());
        Tool.Result local = Tool.run(tmp, Fixtures.simple(), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
        assertEquals(0, local.status(), local.toString());
        // README ("Remote builders") lists no line that differs: the builder shares this kernel and /nix/store
        List<String> ours = remote.stdout().lines().toList();
        List<String> here = local.stdout().lines().toList();
        assertTrue(here.size() > 100, "the local probe output is too short:\n" + local.stdout());
        List<String> report = new ArrayList<>();
        here.stream().filter(l -> !ours.contains(l)).forEach(l -> report.add("- " + l + "   (here, not on the builder)"));
        ours.stream().filter(l -> !here.contains(l)).forEach(l -> report.add("+ " + l + "   (on the builder, not here)"));
        assertEquals(List.of(), report, "undocumented differences between the builder's run and the local one");

        // and the builder's own Nix sandbox, where its fixture saved the same probe's output: as ConformanceIT here
        List<String> nix = NixConformance.normalise(readLines(Path.of(kept(), "probe.nix.out")), NixConformance.forVersion("2.8"));
        List<String> there = NixConformance.normalise(remote.stdout().lines().toList(), NixConformance.forVersion("2.8"));
        assertEquals(nix, there, "the builder's run differs from the builder's Nix sandbox");
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return fail("cannot read " + file + ": " + e);
        }
    }

    /** Without a pty, sshd signals nothing when the connection drops: the session must end there all the same. */
    @Test
    void aDroppedConnectionEndsTheCommandOnTheBuilder() throws Exception {
        String marker = Procs.marker();
        Process tool = Tool.start(tmp, sshEnv(), uri(kept()), "sleep", marker);
        try {
            assertTrue(Procs.waitUntil(Duration.ofSeconds(60), () -> Procs.sleepRunning(marker)), "sleep never started");
            // the connection is the master ssh's (ControlMaster): killing it drops the TCP connection
            long master = masterOf(marker);
            Procs.signal(master, "KILL");
            assertTrue(tool.waitFor(30, TimeUnit.SECONDS), "the tool did not end with its connection");
            assertEquals(255, tool.exitValue(), "ssh's status for a dropped connection");
            assertTrue(Procs.waitUntil(Duration.ofSeconds(30), () -> !Procs.sleepRunning(marker)),
                    "the command outlived the connection on the builder");
        } finally {
            tool.destroyForcibly();
            Procs.killAll(Procs.withArgv("sleep", marker));
        }
    }

    /** Ctrl-C (or a kill) of the local tool without a pty: it ends as killed by that signal, and so does the session there. */
    @Test
    void aSignalToTheToolEndsTheCommandOnTheBuilder() throws Exception {
        String marker = Procs.marker();
        Process tool = Tool.start(tmp, sshEnv(), uri(kept()), "sleep", marker);
        try {
            assertTrue(Procs.waitUntil(Duration.ofSeconds(60), () -> Procs.sleepRunning(marker)), "sleep never started");
            Procs.signal(tool.pid(), "INT");
            assertTrue(tool.waitFor(30, TimeUnit.SECONDS), "the tool did not end on SIGINT");
            assertEquals(130, tool.exitValue());
            assertTrue(Procs.waitUntil(Duration.ofSeconds(30), () -> !Procs.sleepRunning(marker)),
                    "the command outlived the tool on the builder");
        } finally {
            tool.destroyForcibly();
            Procs.killAll(Procs.withArgv("sleep", marker));
        }
    }

    /** The master connection of the ssh client that runs {@code sleep MARKER} on the builder. */
    private static long masterOf(String marker) throws IOException {
        String controlPath = null;
        List<String[]> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    all.add(new String[] {dir.getFileName().toString(), Files.readString(dir.resolve("cmdline"))});
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        for (String[] p : all) {
            Matcher m = CONTROL_PATH.matcher(p[1]);
            if (p[1].startsWith("ssh\0") && p[1].contains(marker) && m.find()) {
                controlPath = m.group(1);
            }
        }
        assertTrue(controlPath != null, "no ssh client runs sleep " + marker);
        for (String[] p : all) {
            if (p[1].startsWith("ssh: " + controlPath + " [mux]")) {
                return Long.parseLong(p[0]);
            }
        }
        return fail("no master ssh for " + controlPath);
    }

    private static final Pattern CONTROL_PATH = Pattern.compile("\0ControlPath=([^\0]+)\0");

    @Test
    void aMissingKeptDirectoryIsNamedWithItsHost() {
        Tool.Result r = run(uri("/nonexistent/nix-build-x.drv-0"), "true");
        assertEquals(111, r.status(), r.toString());
        assertTrue(r.stderr().contains(env("REMOTE_ALIAS") + ": /nonexistent/nix-build-x.drv-0 does not exist on the builder"),
                r.toString());
    }

    @Test
    void sshFailuresHaveTheirOwnStatus() {
        // a closed port of the builder: refused inside the namespace pair
        Tool.Result refused = run("ssh://" + env("REMOTE_ADDR") + ":2" + kept(), "true");
        assertEquals(122, refused.status(), refused.toString());
        assertTrue(refused.stderr().contains(env("REMOTE_ADDR") + ":2: ssh could not connect"), refused.toString());
        // a user of the builder whose key we do not have
        Tool.Result denied = run("ssh://daemon@" + env("REMOTE_ALIAS") + kept(), "true");
        assertEquals(123, denied.status(), denied.toString());
        assertTrue(denied.stderr().contains("ssh could not log in"), denied.toString());
    }

    @Test
    void noJavaOnTheBuilderIsOneLineSayingWhatToInstall() {
        // the builder's port 2222 gives its sessions a PATH without java
        Tool.Result r = run("ssh://" + env("REMOTE_ALIAS") + ":2222" + kept(), "true");
        assertEquals(124, r.status(), r.toString());
        assertTrue(r.stderr().contains(env("REMOTE_ALIAS") + ":2222: nix-build-shell needs Java 17 or later on the builder"),
                r.toString());
        assertTrue(r.stderr().contains("apt-get install openjdk-17-jre-headless"), r.toString());
    }

    @Test
    void aTargetAndOnTogetherAreAUsageError() {
        Tool.Result r = run("--on", env("REMOTE_ALIAS"), uri(kept()));
        assertEquals(2, r.status(), r.toString());
    }

    /** What a plain ssh command printed, with the same configuration as the tool's. */
    private record Result(int status, String stdout, String stderr) {}

    private static Result ssh(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        if (ROOT) {
            cmd.addAll(List.of("-F", STATE.resolve("client/root/ssh_config").toString()));
        }
        cmd.addAll(List.of("-T", env("REMOTE_ALIAS"), command));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ssh did not end");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

}
