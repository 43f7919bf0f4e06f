package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxPlannerTest {
    @TempDir
    Path root;

    @Test
    void workdirStaysInsideBuild() throws IOException {
        Files.createDirectories(root.resolve("build/src/sub"));
        assertEquals("/build/src", RootFacts.workdir("/build/src", root));
        assertEquals("/build/src", RootFacts.workdir("/build/src/sub/..", root));
        assertEquals("/build/src", RootFacts.workdir("/build/./src/", root));
        assertEquals("/build", RootFacts.workdir("/build", root));
        assertEquals("/build", RootFacts.workdir("/build/..", root));
        assertEquals("/build", RootFacts.workdir("/build/src/../..", root));
        assertEquals("/build", RootFacts.workdir("/build/../etc", root));
        assertEquals("/build", RootFacts.workdir("/buildx", root));
        assertEquals("/build", RootFacts.workdir("/build/gone", root));
        assertEquals("/build", RootFacts.workdir("build/src", root));
        assertEquals("/build", RootFacts.workdir(null, root));
    }

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
