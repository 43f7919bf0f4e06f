package org.nixbuildshell.launcher.derivation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.launcher.builddir.EnvVars;

class ExportTextTest {

    @Test
    void readsBackAsTheSameVariables() {
        Map<String, String> vars = Map.of("plain", "/nix/store/x", "quotes", "say \"hi\" and 'bye'",
                "specials", "$HOME `id` \\n back\\slash", "lines", "one\ntwo\n", "empty", "");
        String text = ExportText.of(vars);
        assertEquals(vars, EnvVars.parse(text).variables());
    }

    @Test
    void theFormBashWrites() {
        assertEquals("declare -x A=\"1\"\ndeclare -x B=\"\\$x \\\"q\\\"\"\n", ExportText.of(Map.of("B", "$x \"q\"", "A", "1")));
    }
}
