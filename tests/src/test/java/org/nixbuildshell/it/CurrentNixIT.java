package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: an ordinary user on current Nix with no --drv. The fixtures are
 * make-newer-fixtures' user builds: Nix 2.34 built them through its daemon
 * for an ordinary user, a stdenv build (env-vars 0600, kept as
 * nix-PID-N/build, a name that says nothing) and, before it, a failed
 * fixed-output derivation. Their directory stands for build-dir (its
 * nix.conf says so: NIX_CONF_DIR), their logs are in NIX_LOG_DIR.
 */
class CurrentNixIT {
    private static final String ERROR = "newer-build: config.mk: No such file or directory";

    @TempDir
    Path tmp;

    /** Where Nix (and so the tool) finds build-dir and the logs of these builds. */
    private static Map<String, String> nixEnv() {
        return Map.of("NIX_CONF_DIR", Fixtures.newerNix("FIXTURE_NIX234USER_CONF_DIR"),
                "NIX_LOG_DIR", Fixtures.newerNix("FIXTURE_NIX234USER_LOG_DIR"));
    }

    private static boolean root() {
        return Tool.uid() == 0;
    }

    @Test
    void theKeptBuildIsAsNixLeftIt() throws IOException {
        Path build = Path.of(Fixtures.newerNix("FIXTURE_NIX234USER"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(build.resolve("env-vars"))));
        assertTrue(Fixtures.newerNix("FIXTURE_NIX234USER_PRINTED").matches("/nix/var/nix/builds/nix-\\d+-\\d+/build"),
                Fixtures.newerNix("FIXTURE_NIX234USER_PRINTED"));
    }

    /** No --drv: the derivation is found from the recently failed builds' logs (the user cannot read env-vars). */
    @Test
    void theBuildIsEnteredWithItsDerivationsEnvironment() {
        String outer = Fixtures.newerNix("FIXTURE_NIX234USER_OUTER");
        String bash = Fixtures.exported(Path.of(Fixtures.newerNix("FIXTURE_NIX234")), "SHELL");
        Tool.Result r = Tool.run(tmp, nixEnv(), "-v", outer, bash, "-c", "echo name=$name pwd=$PWD");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("name=nbs-newer-build-1.0 pwd=/build/newer-build"), r.toString());
        if (!root()) {
            // the fetch failed just before, and fits too; the source unpacked there is this one's
            assertTrue(r.stderr().contains("the environment comes from " + Fixtures.newerNix("FIXTURE_NIX234USER_DRV")
                    + " (the recently failed build that fits the directory and whose source is unpacked there"), r.toString());
        }
        Tool.Result phase = Tool.run(tmp, nixEnv(), "--phase", "buildPhase", outer);
        assertNotEquals(0, phase.status(), phase.toString());
        assertTrue(phase.stderr().contains(ERROR), phase.toString());
    }

    /** --resume reads the failed phase from the log of the derivation found. */
    @Test
    void resumeStartsAtTheFailedPhase() {
        Tool.Result r = Tool.run(tmp, nixEnv(), "--resume", Fixtures.newerNix("FIXTURE_NIX234USER"));
        assertNotEquals(0, r.status(), r.toString()); // make's 2: the phase ran and failed again
        assertFalse(r.stderr().contains("--resume: the phase the build failed in is unknown"), r.toString());
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains("Running phase: buildPhase"), r.toString());
        assertFalse(all.contains("Running phase: unpackPhase"), r.toString());
        assertTrue(all.contains(ERROR), r.toString());
    }

    /** --last: the newest kept build the caller can read is the stdenv build (the fetch failed before it). */
    @Test
    void lastEntersTheNewestKeptBuild() {
        Tool.Result r = Tool.run(tmp, nixEnv(), "-v", "--last", "--phase", "buildPhase");
        assertNotEquals(0, r.status(), r.toString());
        assertTrue(r.stderr().contains("target: --last: " + Fixtures.newerNix("FIXTURE_NIX234USER_OUTER")), r.toString());
        assertTrue(r.stderr().contains(ERROR), r.toString());
    }

    @Test
    void listShowsTheKeptBuildsNewestFirst() {
        Tool.Result r = Tool.run(tmp, nixEnv(), "--list");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("AGE"), r.toString());
        String build = line(lines, Fixtures.newerNix("FIXTURE_NIX234USER_OUTER"), r);
        String fetch = line(lines, Fixtures.newerNix("FIXTURE_NIX234FOD_OUTER"), r);
        assertTrue(lines.indexOf(build) < lines.indexOf(fetch), "not newest first:\n" + r);
        assertTrue(build.matches("\\S+\\s+\\S+\\s+buildPhase\\s+nbs-newer-build-1\\.0\\s+/.*"), build);
        assertTrue(fetch.contains(" nbs-fetch-1.0.tar.gz "), fetch);
    }

    @Test
    void listAndLastTakeNoTarget() {
        Tool.Result r = Tool.run(tmp, "--list", Fixtures.newerNix("FIXTURE_NIX234USER_OUTER"));
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("--list only lists"), r.toString());
    }

    /** A copy under any name whose env-vars is readable: its name and outputs lead to its derivation and log. */
    @Test
    void aRenamedCopyKeepsItsFailedPhaseAndResumes() throws Exception {
        Path copy = openCopy(tmp.resolve("my-broken-build"));
        Tool.Result r = Tool.run(tmp, "-v", "--resume", copy);
        assertNotEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("--resume: the phase the build failed in is unknown"), r.toString());
        assertTrue(r.stdout().contains("Running phase: buildPhase"), r.toString());
        assertTrue(r.stderr().contains("(failed in buildPhase)"), r.toString());
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR")), r.toString());
        assertFalse(all.contains("Running phase: unpackPhase"), r.toString());
    }

    /**
     * A copy that fits several recently failed builds (its source directory renamed, so that none
     * matches better): the error lists them, and names --drv.
     */
    @Test
    void severalBuildsThatFitAreListed() throws Exception {
        Path copy = openCopy(tmp.resolve("unnamed"));
        Path source;
        try (var dirs = Files.list(copy)) {
            source = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        FileTime time = Files.getLastModifiedTime(copy);
        Files.move(source, copy.resolve("renamed-source"));
        Files.setPosixFilePermissions(copy.resolve("env-vars"), Set.of());
        Files.setLastModifiedTime(copy, time); // the move changed it
        assumeFalse(Files.isReadable(copy.resolve("env-vars")), "root reads any env-vars: nothing to search for");
        Tool.Result r = Tool.run(tmp, copy, "true");
        assertEquals(112, r.status(), r.toString());
        assertTrue(r.stderr().contains("fit it: which one it is cannot be told"), r.toString());
        assertTrue(r.stderr().contains("--drv " + Fixtures.get("DRV_STDENV_BUILD")), r.toString());
        assertTrue(r.stderr().contains("nbs-stdenv-build-1.0  failed "), r.toString());
    }

    /**
     * Lix 2.94 and later: the printed directory is the outer /nix/var/nix/b/RANDOM, the build was in
     * b/ inside, and the tree is the user's. Its env-vars leads to the derivation and its log.
     */
    @Test
    void aLixShapedTreeIsATarget() throws Exception {
        Path outer = Files.createDirectory(tmp.resolve("x7f2k9q3"));
        openCopy(outer.resolve("b"));
        Tool.Result r = Tool.run(tmp, "--resume", outer);
        assertNotEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("--resume: the phase the build failed in is unknown"), r.toString());
        assertTrue(r.stdout().contains("Running phase: buildPhase"), r.toString());
        assertTrue((r.stdout() + r.stderr()).contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR")), r.toString());
    }

    @Test
    void anEmptyTargetSaysSo() {
        Tool.Result r = Tool.run(tmp, "");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("TARGET is empty"), r.toString());
        assertFalse(r.stderr().contains(" has no env-vars file"), r.toString());
    }

    /** Issue 18, "Also": a session deleted /build/env-vars; the next run says so and names --fresh. */
    @Test
    void aWorkingCopyThatLostEnvVarsNamesFresh() throws Exception {
        Path copy = openCopy(tmp.resolve("kept"));
        Tool.Result rm = Tool.run(tmp, copy, Fixtures.exported(copy, "SHELL"), "-c", "rm /build/env-vars");
        assertEquals(0, rm.status(), rm.toString());
        Tool.Result r = Tool.run(tmp, copy, "true");
        assertEquals(117, r.status(), r.toString());
        assertTrue(r.stderr().contains("lost /build/env-vars"), r.toString());
        assertTrue(r.stderr().contains("--fresh"), r.toString());
        assertFalse(r.stderr().contains("command not found"), r.toString());
        Tool.Result fresh = Tool.run(tmp, "--fresh", copy, "true");
        assertEquals(0, fresh.status(), fresh.toString());
    }

    /** A copy of the readable stdenv fixture (a), failed in buildPhase, owned by whoever runs this. */
    private static Path openCopy(Path to) throws IOException, InterruptedException {
        Process cp = new ProcessBuilder("cp", "-a", Fixtures.get("FIXTURE_STDENV_BUILD_OPEN"), to.toString()).start();
        assertEquals(0, cp.waitFor(), "cp -a failed");
        return to;
    }

    private static String line(List<String> lines, String dir, Tool.Result r) {
        return lines.stream().filter(l -> l.endsWith(" " + dir)).findFirst()
                .orElseThrow(() -> new AssertionError(dir + " is not listed:\n" + r));
    }
}
