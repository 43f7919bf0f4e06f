package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: what a new user sees on the first run. */
class FirstContactIT {
    private static final Pattern READY = Pattern.compile("nix-build-shell: class-data archives ready in \\d+ s\r?\n");

    @TempDir
    Path tmp;

    /**
     * The first run, on a terminal, trains the class-data archives: it says so and how long it
     * takes, once; the next run says nothing. On a copy of lib/ (NBS_LIB) without archives.
     */
    @Test
    void theFirstRunSaysHowLongTheTrainingTakesOnce() throws IOException, InterruptedException {
        Path lib = libWithoutArchives();
        String first = onTerminal(lib, "");
        assertTrue(first.contains("nix-build-shell: first run: preparing the class-data archives for a faster start"
                + " (about 5 s, once)..."), first);
        assertTrue(READY.matcher(first).find(), first);
        String second = onTerminal(lib, "");
        // (other warnings, e.g. about unreadable files as an ordinary user, are not this test's)
        assertFalse(second.contains("class-data"), "the second run trains nothing and says nothing about it: " + second);
    }

    /**
     * Issue 20: runs alternating between two JDKs (17 and 25) retrained the one archive at every
     * switch, 3–4 s each. The archives are per JDK: each JDK trains once, then neither again.
     */
    @Test
    void alternatingJdksTrainOnceEach() throws IOException, InterruptedException {
        List<Path> jdks = Jdks.installed();
        Assumptions.assumeTrue(jdks.size() >= 2, "one JDK 17+ under /usr/lib/jvm: " + jdks);
        Path lib = libWithoutArchives();
        for (Path java : jdks) {
            assertTrue(READY.matcher(onTerminal(lib, "NBS_JAVA=" + java)).find(), "no training for " + java);
        }
        for (Path java : jdks) {
            String again = onTerminal(lib, "NBS_JAVA=" + java);
            assertFalse(again.contains("class-data"), java + " trained again after the switch: " + again);
        }
        try (var dirs = Files.list(lib.resolve("jdk"))) {
            assertEquals(jdks.size(), dirs.count(), "one archive directory per JDK");
        }
    }

    /** A copy of lib/ (and the native dir beside it) without the archives the build's lib/ has. */
    private Path libWithoutArchives() throws IOException, InterruptedException {
        Path lib = tmp.resolve("target/lib");
        copy(Tool.REPO.resolve("launcher/target/lib"), lib);
        copy(Tool.REPO.resolve("launcher/target/native"), tmp.resolve("target/native"));
        Process rm = new ProcessBuilder("rm", "-rf", lib.resolve("jdk").toString()).inheritIO().start();
        assertEquals(0, rm.waitFor());
        return lib;
    }

    /** scripts/nix-build-shell FIXTURE true, with stderr on a terminal (script(1)); what it printed. */
    private String onTerminal(Path lib, String env) throws IOException, InterruptedException {
        String command = env + " NBS_LIB=" + lib + " TMPDIR=" + tmp + " " + Tool.SCRIPT + " " + Fixtures.simple() + " true";
        Process p = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the tool did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static void copy(Path from, Path to) throws IOException, InterruptedException {
        Files.createDirectories(to.getParent());
        Process cp = new ProcessBuilder(List.of("cp", "-a", from.toString(), to.toString())).inheritIO().start();
        assertEquals(0, cp.waitFor(), "cp -a " + from + " " + to);
    }
}
