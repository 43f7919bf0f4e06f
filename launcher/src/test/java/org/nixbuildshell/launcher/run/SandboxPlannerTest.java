package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxPlannerTest {
    @TempDir
    Path root;

    @Test
    void workdirStaysInsideBuild() throws IOException {
        Files.createDirectories(root.resolve("build/src/sub"));
        assertEquals("/build/src", SandboxPlanner.workdir("/build/src", root));
        assertEquals("/build/src", SandboxPlanner.workdir("/build/src/sub/..", root));
        assertEquals("/build/src", SandboxPlanner.workdir("/build/./src/", root));
        assertEquals("/build", SandboxPlanner.workdir("/build", root));
        assertEquals("/build", SandboxPlanner.workdir("/build/..", root));
        assertEquals("/build", SandboxPlanner.workdir("/build/src/../..", root));
        assertEquals("/build", SandboxPlanner.workdir("/build/../etc", root));
        assertEquals("/build", SandboxPlanner.workdir("/buildx", root));
        assertEquals("/build", SandboxPlanner.workdir("/build/gone", root));
        assertEquals("/build", SandboxPlanner.workdir("build/src", root));
        assertEquals("/build", SandboxPlanner.workdir(null, root));
    }
}
