package org.nixbuildshell.launcher.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import java.nio.file.Files;
import java.nio.file.Path;

class SandboxPathsTest {
    @Test
    void binShIsReadFromSandboxPaths() {
        assertEquals("/nix/store/x-busybox/bin/busybox",
                SandboxPaths.binSh("sandbox = true\nsandbox-paths = /bin/sh=/nix/store/x-busybox/bin/busybox /usr\n"));
        assertEquals("/bin/sh", SandboxPaths.binSh("extra-sandbox-paths = /etc/ssl /bin/sh?\n"));
        assertEquals("/b", SandboxPaths.binSh("sandbox-paths = /bin/sh=/a\nextra-sandbox-paths = /bin/sh=/b\n"));
        assertNull(SandboxPaths.binSh("sandbox-paths = /bin/sh=/a\nsandbox-paths = /usr\n"));
        assertNull(SandboxPaths.binSh("# sandbox-paths = /bin/sh=/a\nsandbox = false\n"));
        assertNull(SandboxPaths.binSh(""));
    }

    @Test
    void binShFallsBackToTheProfilesShellThenTheBuildsShell() {
        SandboxProfile debian = NixProfiles.forVersion(NixVersion.of("2.26"));
        SandboxProfile old = NixProfiles.forVersion(NixVersion.of("2.8"));
        java.util.function.Predicate<String> exists = path -> Files.exists(Path.of(path));
        assertEquals("/bin/true", BinSh.choose(debian, "/bin/true", "/bin/bash", exists).source());
        assertEquals("/bin/bash", BinSh.choose(old, "/no/such/file", "/bin/bash", exists).source());
        assertEquals("/bin/bash", BinSh.choose(old, null, "/bin/bash", exists).source());
        SandboxProfile missing = debian.derive("9.0", "9.0").sandboxShell("/no/such/shell").build();
        assertEquals("/bin/bash", BinSh.choose(missing, null, "/bin/bash", exists).source());
    }
}
