package org.nixbuildshell.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.seccomp.SeccompRule;
import org.nixbuildshell.seccomp.SeccompRules;

class PlanCodecTest {
    private static final ProcessSettings SETTINGS = new ProcessSettings(022, 0, 0x0040008, true,
            SeccompRules.NIX_2_8.plus("test", SeccompRule.deny(SeccompRule.ENOTSUP, "listxattr")),
            ProcessSettings.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, true);

    @Test
    void roundTripKeepsEveryFieldIncludingAwkwardStrings() throws IOException {
        SandboxPlan plan = new SandboxPlan("/tmp/nix-build-shell-1/root", "localhost", "(none)", true, "2.26",
                List.of(SetupOp.mkdir("/nix/store", 0755), SetupOp.writeFile("/etc/hosts", "::1 localhost\n", 0644),
                        SetupOp.symlink("/proc/self/fd", "/dev/fd"), SetupOp.chmod("/", 0750), SetupOp.makePrivate(),
                        SetupOp.bind("/nix/store/abc-x y", "/nix/store/abc-x y", true, 0755),
                        SetupOp.tmpfs("/dev/shm", "mode=1777,size=50%", 0755), SetupOp.proc("/proc", 0555),
                        SetupOp.rbind("/dev/pts", "/dev/pts", false, 0755), SetupOp.remountReadOnly("/")),
                new SandboxPlan.Command(List.of("/nix/store/b-bash/bin/bash", "-c", "echo 'ü\n\"$x\"'", "--", ""),
                        List.of("TERM=xterm", "A=b=c"), "/build/src", "PS1='x'\n"),
                SETTINGS);
        assertEquals(plan, PlanCodec.decode(PlanCodec.encode(plan)));
    }

    @Test
    void nullRcAndNoSeccompSurvive() throws IOException {
        ProcessSettings none = new ProcessSettings(077, -1, 0, false, null, 0, false);
        SandboxPlan plan = new SandboxPlan("/r", "h", "d", false, "2.8", List.of(),
                new SandboxPlan.Command(List.of("/bin/sh"), List.of(), "/build", null), none);
        SandboxPlan decoded = PlanCodec.decode(PlanCodec.encode(plan));
        assertNull(decoded.command().rcScript());
        assertEquals(none, decoded.settings());
    }

    @Test
    void theSettingsAloneRoundTrip() throws IOException {
        assertEquals(SETTINGS, PlanCodec.decodeSettings(PlanCodec.encode(SETTINGS)));
    }

    @Test
    void somethingElseIsRejected() {
        assertThrows(IOException.class, () -> PlanCodec.decode("not a plan at all".getBytes()));
        assertThrows(IOException.class, () -> PlanCodec.decodeSettings("not settings".getBytes()));
    }
}
