package org.nixbuildshell.launcher.stdenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildLogTest {
    @Test
    void theLastSetPhaseIsTheFailedOneAndTheTailHasNoNoise() {
        String log = String.join("\n",
                "@nix { \"action\": \"setPhase\", \"phase\": \"unpackPhase\" }",
                "Running phase: unpackPhase",
                "unpacking source archive /nix/store/x.tar.gz",
                "@nix { \"action\": \"setPhase\", \"phase\": \"buildPhase\" }",
                "building",
                "",
                "cc -o hello hello.c",
                "@nix {\"action\":\"setPhase\",\"phase\":\"checkPhase\"}",
                "Running phase: checkPhase",
                "FAIL: answer() returned 41, expected 42\r",
                "make: *** [Makefile:14: check] Error 1", "");
        BuildLog parsed = BuildLog.parse("log", log);
        assertEquals("checkPhase", parsed.failedPhase());
        assertEquals(List.of("unpacking source archive /nix/store/x.tar.gz", "cc -o hello hello.c",
                "FAIL: answer() returned 41, expected 42", "make: *** [Makefile:14: check] Error 1"), parsed.tail());
    }

    @Test
    void theTailIsTheLastFewLines() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            log.append("line ").append(i).append('\n');
        }
        BuildLog parsed = BuildLog.parse("log", log.toString());
        assertNull(parsed.failedPhase());
        assertEquals(BuildLog.TAIL, parsed.tail().size());
        assertEquals("line 99", parsed.tail().get(BuildLog.TAIL - 1));
    }
}
