package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tool on kept directories of real Nix 2.26 and 2.34 builds (made by
 * scripts/make-newer-fixtures in containers, their store paths imported into
 * this host's store): it starts on the path Nix printed and on the outer
 * directory. ConformanceIT compares the probe with what it saw in that Nix's
 * sandbox.
 */
class NewerNixFixturesIT {
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
}
