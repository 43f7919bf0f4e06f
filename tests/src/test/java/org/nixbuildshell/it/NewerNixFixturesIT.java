package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tool on kept directories of real Nix 2.26 and 2.34 builds (made by
 * scripts/make-newer-fixtures in containers, their store paths imported into
 * this host's store): it starts on the path Nix printed and on the outer
 * directory, and the probe runs inside. The probe's differences from what it
 * saw in that Nix's sandbox are printed, not yet asserted.
 */
class NewerNixFixturesIT {
    private static final Pattern DECLARE = Pattern.compile("^declare -x ([A-Za-z_][A-Za-z0-9_]*)=\"(.*)\"$");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"NIX226", "NIX234"})
    void startsOnThePrintedPathAndTheOuterDirectory(String version) {
        for (String var : List.of("FIXTURE_" + version, "FIXTURE_" + version + "_OUTER")) {
            Tool.Result r = Tool.run(tmp, Fixtures.newerNix(var), "true");
            assertEquals(0, r.status(), var + ": " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NIX226", "NIX234"})
    void theProbeRunsInside(String version) throws IOException {
        Path dir = Path.of(Fixtures.newerNix("FIXTURE_" + version));
        List<String> nix = Files.readAllLines(dir.resolve("probe.nix.out"));
        Tool.Result r = Tool.run(tmp, dir, envVar(dir, "SHELL"), envVar(dir, "probe"));
        assertEquals(0, r.status(), r.toString());
        List<String> ours = r.stdout().lines().toList();
        assertTrue(ours.size() > 100 && ours.get(0).startsWith("probe.version: "), r.toString());

        String who = "Nix " + Fixtures.newerNix("FIXTURE_" + version + "_VERSION") + ", uid " + Tool.uid();
        System.out.println(report("probe, " + who + ": real Nix sandbox (-) vs nix-build-shell (+)", nix, ours));
        System.out.println(report("the same after NixConformance's documented differences, " + who,
            NixConformance.normalise(nix), NixConformance.normalise(ours)));
    }

    /** The value of a {@code declare -x NAME="..."} line of the kept env-vars. */
    private static String envVar(Path dir, String name) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("env-vars"))) {
            Matcher m = DECLARE.matcher(line);
            if (m.matches() && m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError(name + " is not in " + dir.resolve("env-vars"));
    }

    /** Lines only in {@code nix} ("- ") and only in {@code ours} ("+ "), in their order. */
    private static String report(String title, List<String> nix, List<String> ours) {
        List<String> out = new ArrayList<>();
        out.add("=== " + title);
        nix.stream().filter(l -> !ours.contains(l)).forEach(l -> out.add("- " + l));
        ours.stream().filter(l -> !nix.contains(l)).forEach(l -> out.add("+ " + l));
        return String.join("\n", out);
    }
}
