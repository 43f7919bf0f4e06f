package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: what the entry script, scripts/nix-build-shell, does before the launcher runs. */
class EntryScriptIT {
    private static final Path LIB = Tool.REPO.resolve("launcher/target/lib");
    @TempDir
    Path tmp;

    /** Both JVMs start with the options of one file (lib/jvm.conf): two copies had drifted (-Xmx128m, -Xmx64m). */
    @Test
    void launcherAndInitRunWithTheSameJvmOptions() throws IOException, InterruptedException {
        // init is PID 1 inside: the command reads its command line from there
        Process p = Tool.start(tmp, Map.of(), Fixtures.simple(), "bash", "-c", "cat /proc/1/cmdline; sleep 1");
        Path cmdline = Path.of("/proc/" + p.pid() + "/cmdline");
        String[] launcher = new String[1];
        // the entry script execs java: wait for that. A read during the execve can mix the old and new
        // arguments (CI once saw argv[0] "busr/lib/jvm/..."), so take the arguments only once two reads agree.
        assertTrue(Procs.waitUntil(Duration.ofSeconds(30), () -> {
            String seen = read(cmdline);
            boolean settled = seen.equals(launcher[0]) && seen.contains("org.nixbuildshell.launcher.Main");
            launcher[0] = seen;
            return settled;
        }), "the launcher JVM did not start: " + read(cmdline));
        String init = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not finish");
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(init.contains("org.nixbuildshell.init.InitMain"), "PID 1 is not init: " + init);
        // the common options, then each JVM's own (launcher.options, init.options), as jvm.conf says for this JDK
        Properties conf = new Properties();
        try (var in = Files.newBufferedReader(Tool.REPO.resolve("launcher/target/lib/jvm.conf"))) {
            conf.load(in);
        }
        int feature = Jdks.feature(Path.of(launcher[0].split("\0")[0])); // argv[0]: the java the script chose
        List<String> common = words(Jdks.confValue(conf, "options", feature));
        assertFalse(common.isEmpty(), "jvm.conf has no options");
        assertEquals(concat(common, words(Jdks.confValue(conf, "launcher.options", feature))), jvmOptions(launcher[0]));
        assertEquals(concat(common, words(Jdks.confValue(conf, "init.options", feature))), jvmOptions(init));
    }

    /** NBS_JAVA chooses the JDK of both JVMs; on 24 and later no JNI "restricted method" warnings (JEP 472). */
    @Test
    void nbsJavaChoosesTheJdkOfBothJvms() throws IOException, InterruptedException {
        for (Path java : Jdks.installed()) {
            Process p = Tool.start(tmp, Map.of("NBS_JAVA", java.toString()), "--new", Fixtures.simple(), "echo", "ok");
            Path exe = Path.of("/proc/" + p.pid() + "/exe");
            String[] seen = new String[1];
            Procs.waitUntil(Duration.ofSeconds(30), () -> {
                try {
                    seen[0] = Files.readSymbolicLink(exe).toString();
                } catch (IOException e) {
                    return false;
                }
                return seen[0].endsWith("/java");
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not finish");
            assertEquals(0, p.exitValue(), err);
            assertEquals("ok\n", out, err);
            assertEquals(java.toRealPath().toString(), seen[0], "the launcher runs another java than NBS_JAVA");
            assertFalse(err.contains("restricted method") || err.contains("WARNING"), err);
        }
    }

    /** A Java older than 17 is one clear line and status 119, not a class-version stack trace. */
    @Test
    void aJavaOlderThan17IsOneClearLine() throws IOException {
        Path home = tmp.resolve("old-jdk");
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nexit 3\n");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Tool.Result r = Tool.run(tmp, Map.of("NBS_JAVA", java.toString()), Fixtures.simple(), "true");
        assertEquals(119, r.status(), r.toString());
        assertTrue(r.stderr().contains("(from NBS_JAVA) is Java 11; nix-build-shell needs 17 or later"), r.toString());
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.stream(value.strip().split(" +")).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).filter(o -> o.startsWith("-X")).toList();
    }

    /**
     * The soak found it: a signal during the class-data training (NBS_CDS=train forces one)
     * left the training's throw-away build dir in TMPDIR.
     */
    @Test
    void aSignalDuringTheTrainingLeavesNothingInTmpdir() throws IOException, InterruptedException {
        assumeTrue(Files.isWritable(LIB), "only whoever can write lib/ trains (whoCannotWriteLibStartsAtOnceAndQuietly)");
        Process p = Tool.start(tmp, Map.of("NBS_CDS", "train"), Fixtures.simple(), "true");
        try {
            assertTrue(Procs.waitUntil(Duration.ofSeconds(30), () -> !Tool.leftovers(tmp).isEmpty()),
                    "the training made no directory in TMPDIR");
            p.destroy(); // SIGTERM to the script, as timeout(1) or a closing terminal would
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not end after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Procs.waitUntil(Duration.ofSeconds(30), () -> Tool.leftovers(tmp).isEmpty()),
                "left in TMPDIR: " + Tool.leftovers(tmp));
    }

    /**
     * The training run starts a session and joins it (launcher/Training), so the archives hold what
     * a joining run loads too; both leave nothing behind, in TMPDIR or in the working-copy cache.
     */
    @Test
    void theTrainingRunStartsASessionAndJoinsIt() throws IOException {
        assumeTrue(Files.isWritable(LIB), "only whoever can write lib/ trains (whoCannotWriteLibStartsAtOnceAndQuietly)");
        long before = System.currentTimeMillis() - 1000;
        Tool.Result r = Tool.run(tmp, Map.of("NBS_CDS", "train"), Fixtures.simple(), "true");
        assertEquals(0, r.status(), r.toString());
        Path log;
        try (var logs = Files.list(LIB.resolve("jdk"))) {
            log = logs.map(dir -> dir.resolve("train.log")).filter(Files::isRegularFile)
                    .filter(f -> f.toFile().lastModified() >= before).findFirst().orElseThrow();
        }
        String training = Files.readString(log);
        assertTrue(training.contains("joining it") && training.contains("join: pid"), "no join in the training\n" + training);
        assertTrue(Files.exists(log.resolveSibling("launcher." + (training.contains(", aot, ") ? "aot" : "jsa"))), training);
        assertEquals(List.of(), Tool.leftovers(tmp));
        Path cache = Tool.cacheFor(tmp).resolve("nix-build-shell");
        if (Files.isDirectory(cache)) {
            try (var copies = Files.list(cache)) {
                assertEquals(List.of(), copies.map(c -> c.getFileName().toString()).filter(n -> n.startsWith("build-"))
                        .toList(), "the training's working copy was kept");
            }
        }
    }

    /** Only whoever can write lib/ trains: the others start at once, and quietly. */
    @Test
    void whoCannotWriteLibStartsAtOnceAndQuietly() {
        assumeFalse(Files.isWritable(LIB), "whoever can write lib/ trains (aSignalDuringTheTrainingLeavesNothingInTmpdir)");
        Tool.Result r = Tool.run(tmp, Map.of("NBS_CDS", "train"), "--new", Fixtures.simple(), "true");
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("Permission denied") || r.stderr().contains("flock"), r.toString());
        assertEquals(List.of(), Tool.leftovers(tmp));
    }

    /** The -X options, without the archive ones (each JVM has its own archive). */
    private static List<String> jvmOptions(String cmdline) {
        return Arrays.stream(cmdline.split("\0"))
                .filter(a -> a.startsWith("-X"))
                .filter(a -> !a.startsWith("-Xshare") && !a.contains("SharedArchiveFile") && !a.contains("DumpLoadedClassList")
                        && !a.startsWith("-XX:AOT"))
                .toList();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
