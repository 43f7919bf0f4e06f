package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxUserTest {

    @Test
    void underSudoTheCallerIsTheSandboxUser() {
        assertEquals(new SandboxUser(1001, 1002, true), SandboxUser.of(0, 0, Map.of("SUDO_UID", "1001", "SUDO_GID", "1002")));
    }

    @Test
    void plainRootAndOrdinaryUsersStayThemselves() {
        assertEquals(new SandboxUser(0, 0, false), SandboxUser.of(0, 0, Map.of()));
        assertEquals(new SandboxUser(0, 0, false), SandboxUser.of(0, 0, Map.of("SUDO_UID", "0", "SUDO_GID", "0")),
                "sudo from root is root");
        assertEquals(new SandboxUser(1000, 100, false), SandboxUser.of(1000, 100, Map.of("SUDO_UID", "5", "SUDO_GID", "5")),
                "only root can act for a sudo caller");
        assertEquals(new SandboxUser(0, 0, false), SandboxUser.of(0, 0, Map.of("SUDO_UID", "x1", "SUDO_GID", "1")));
        assertEquals(new SandboxUser(0, 0, false), SandboxUser.of(0, 0, Map.of("SUDO_UID", "1001")));
    }
}
