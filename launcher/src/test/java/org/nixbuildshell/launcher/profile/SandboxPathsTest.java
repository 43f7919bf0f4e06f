package org.nixbuildshell.launcher.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.plan.SandboxProfile;

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
        assertEquals("/bin/true", BinSh.choose(debian, "/bin/true", "/bin/bash").source());
        assertEquals("/bin/bash", BinSh.choose(old, "/no/such/file", "/bin/bash").source());
        assertEquals("/bin/bash", BinSh.choose(old, null, "/bin/bash").source());
        SandboxProfile missing = new SandboxProfile("x", "9.0", 0750, 0555, "/no/such/shell", List.of(), true, 022, 0, 0,
                true, "nix-2.8");
        assertEquals("/bin/bash", BinSh.choose(missing, null, "/bin/bash").source());
    }
}
