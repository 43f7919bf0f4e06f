package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10: builds made with a stdenv that behaves like nixpkgs' (fixtures (a)
 * BUILD: compile error in buildPhase, (b) CHECK: a failing test in checkPhase,
 * (c) STRUCTURED: __structuredAttrs, compile error in buildPhase).
 *
 * <p>Most tests use the *_OPEN copies, whose env-vars and .attrs.* are 0644:
 * they are not about the 0600 env-vars nixpkgs writes, which an unprivileged
 * user cannot read at all ({@link #theUnreadableEnvVars} is).
 */
class StdenvIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"BUILD", "CHECK", "STRUCTURED"})
    void theFailedPhaseByNameFailsWithTheBuildsError(String fixture) {
        String phase = Fixtures.get("PHASE_STDENV_" + fixture);
        fails(fixture, Tool.run(tmp, open(fixture), phase));
        fails(fixture, Tool.run(tmp, open(fixture), "runPhase", phase));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUILD", "CHECK", "STRUCTURED"})
    void theFailedPhaseByPhaseOptionFailsWithTheBuildsError(String fixture) {
        fails(fixture, Tool.run(tmp, "--phase", Fixtures.get("PHASE_STDENV_" + fixture), open(fixture)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUILD", "CHECK", "STRUCTURED"})
    void resumeFailsWithTheBuildsErrorAndRunsNoLaterPhase(String fixture) {
        Tool.Result r = Tool.run(tmp, "--resume", open(fixture));
        fails(fixture, r);
        assertTrue(r.stdout().contains("Running phase: " + Fixtures.get("PHASE_STDENV_" + fixture)), r.toString());
        assertTrue(!r.stdout().contains("Running phase: installPhase"), "a phase ran after the failure:\n" + r);
    }

    /** The test's own copy of the open fixture, repaired by FIX_* in its source root. */
    @ParameterizedTest
    @ValueSource(strings = {"BUILD", "CHECK", "STRUCTURED"})
    void resumeInAFixedCopyRunsToTheEndAndInstallsOut(String fixture) throws Exception {
        Path copy = fixedCopy(fixture);
        // postFixup runs at the very end, inside the sandbox: it lists what was installed in $out
        Tool.Result r = Tool.run(tmp, "--setenv", "postFixup=echo \"installed in $out/bin:\" $(ls \"$out/bin\")",
                "--resume", copy);
        assertEquals(0, r.status(), r.toString());
        assertTrue(Pattern.compile("(?m)^installed in /nix/store/[a-z0-9]{32}-nbs-stdenv-[a-z]+-1\\.0/bin: \\S+$")
                .matcher(r.stdout()).find(), "nothing was installed in $out/bin:\n" + r);
        assertTrue(r.stdout().contains("Running phase: installPhase"), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUILD", "CHECK", "STRUCTURED"})
    void stdenvsFunctionsAreThereInBashC(String fixture) {
        Tool.Result r = Tool.run(tmp, open(fixture), "bash", "-c", "type -t genericBuild; shopt nullglob || :");
        assertEquals(0, r.status(), r.toString());
        assertEquals("function\nnullglob       \toff\n", r.stdout(), r.toString());
    }

    /** Loading the setup again neither rewrites env-vars nor leaves its second helping in the variables. */
    @Test
    void theEnvironmentIsTheFailedPhasesAfterTheSetup() throws IOException {
        Path envVars = Path.of(open("CHECK"), "env-vars");
        String ldflags = Files.readAllLines(envVars).stream().filter(l -> l.startsWith("declare -x NIX_LDFLAGS="))
                .findFirst().orElseThrow().replaceFirst("^declare -x NIX_LDFLAGS=\"(.*)\"$", "$1");
        Tool.Result r = Tool.run(tmp, open("CHECK"), "bash", "-c", "printf '%s\\n' \"$NIX_LDFLAGS\"; cat /build/env-vars");
        assertEquals(0, r.status(), r.toString());
        assertEquals(ldflags + "\n" + Files.readString(envVars), r.stdout());
    }

    @Test
    void theStructuredBuildHasItsStdenvAndInputs() {
        Tool.Result r = Tool.run(tmp, open("STRUCTURED"), "bash", "-c",
                "echo \"$stdenv\"; echo \"${outputs[out]}\"; test -e \"$src\" && echo src-ok");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().startsWith(Fixtures.get("STORE_STDENV_REAL") + "\n/nix/store/"), r.toString());
        assertTrue(r.stdout().endsWith("src-ok\n"), r.toString());
    }

    /** The fixtures as Nix kept them: env-vars 0600, owned by the build user. */
    @Test
    void theUnreadableEnvVars() {
        // root reads env-vars; anyone else gets it rebuilt from the derivation (TargetsIT has more)
        fails("BUILD", Tool.run(tmp, Fixtures.get("FIXTURE_STDENV_BUILD"), "buildPhase"));
    }

    /**
     * A kept directory whose log cannot be found: renamed, and its env-vars names an output no logged
     * derivation has (issue 18: a renamed copy alone is found by its name and outputs).
     */
    @Test
    void resumeWithoutALogSaysHowToNameThePhase() throws Exception {
        Path renamed = copyOf("CHECK", "kept");
        Path envVars = renamed.resolve("env-vars");
        Files.writeString(envVars, Files.readString(envVars).replaceFirst(
                "(?m)^declare -x out=\"/nix/store/[0-9a-z]{32}-", "declare -x out=\"/nix/store/00000000000000000000000000000000-"));
        Tool.Result r = Tool.run(tmp, "--resume", renamed);
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("the phase the build failed in is unknown"), r.toString());
        assertTrue(r.stderr().contains("--resume --phase "), r.toString());

        r = Tool.run(tmp, "--resume", "--phase", "checkPhase", renamed);
        fails("CHECK", r);
    }

    @Test
    void phaseOptionsAreCheckedOnTheCommandLine() {
        Tool.Result r = Tool.run(tmp, "--phase", "buildPhase", open("BUILD"), "make");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("give no COMMAND"), r.toString());
        r = Tool.run(tmp, "--resume", Fixtures.get("FIXTURE_NOSTDENV"));
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("no stdenv"), r.toString());
    }

    @Test
    void theHelpNamesPhaseAndResume() {
        Tool.Result r = Tool.run(tmp, "--help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("--phase=NAME") && r.stdout().contains("--resume"), r.toString());
    }

    private static void fails(String fixture, Tool.Result r) {
        assertNotEquals(0, r.status(), "the phase did not fail:\n" + r);
        String expected = Fixtures.get("EXPECT_STDENV_" + fixture + "_ERROR");
        assertTrue((r.stdout() + r.stderr()).contains(expected), "no '" + expected + "' in:\n" + r);
        assertTrue(!r.stderr().contains("pop_var_context") && !r.stderr().contains("@nix {"), r.toString());
    }

    private static String open(String fixture) {
        return Fixtures.get("FIXTURE_STDENV_" + fixture + "_OPEN");
    }

    private Path fixedCopy(String fixture) throws IOException, InterruptedException {
        Path copy = copyOf(fixture, Path.of(open(fixture)).getFileName().toString());
        Path sourceRoot;
        try (Stream<Path> entries = Files.list(copy)) {
            List<Path> dirs = entries.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), "not one source root in " + copy + ": " + dirs);
            sourceRoot = dirs.get(0);
        }
        run(sourceRoot, "sh", "-c", Fixtures.get("FIX_STDENV_" + fixture));
        return copy;
    }

    /** cp -a of the open fixture into this test's directory, under {@code name}. */
    private Path copyOf(String fixture, String name) throws IOException, InterruptedException {
        Path parent = Files.createDirectories(tmp.resolve("copy"));
        Path copy = parent.resolve(name);
        run(parent, "cp", "-a", open(fixture), copy.toString());
        return copy;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed in " + dir);
    }
}
