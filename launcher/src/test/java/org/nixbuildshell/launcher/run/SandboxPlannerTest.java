package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxPlannerTest {
    @Test
    void bashWithAScriptGetsTheSetupOtherCommandsDoNot() {
        assertTrue(SandboxPlanner.isBashScript(List.of("bash", "-c", "type -t genericBuild")));
        assertTrue(SandboxPlanner.isBashScript(List.of("/nix/store/x-bash/bin/bash", "-ec", "make")));
        assertTrue(SandboxPlanner.isBashScript(List.of("bash", "-x", "-c", "make", "name", "arg")));
        assertFalse(SandboxPlanner.isBashScript(List.of("bash", "script.sh", "-c")), "a script file, its own -c");
        assertFalse(SandboxPlanner.isBashScript(List.of("bash")));
        assertFalse(SandboxPlanner.isBashScript(List.of("bash", "--", "-c")));
        assertFalse(SandboxPlanner.isBashScript(List.of("sh", "-c", "x")), "sh does not read BASH_ENV");
        assertFalse(SandboxPlanner.isBashScript(List.of("make", "-c")));
        assertFalse(SandboxPlanner.isBashScript(List.of("", "-c")));
    }
}
