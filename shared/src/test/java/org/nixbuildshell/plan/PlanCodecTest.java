package org.nixbuildshell.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
    private static final SandboxProfile PROFILE = new SandboxProfile("2.26", "2.15", 0750, 0555,
            "/usr/bin/bash-static", List.of("null", "zero"), true, 022, 0, 0x0040000, true, "nix");

    @Test
    void roundTripKeepsEveryFieldIncludingAwkwardStrings() throws IOException {
        SandboxPlan plan = new SandboxPlan("/tmp/nix-build-shell-1/root",
                "localhost", "(none)", true, PROFILE, 0x0040008,
                List.of(SetupOp.mkdir("/nix/store", 0755), SetupOp.writeFile("/etc/hosts", "::1 localhost\n", 0644),
                        SetupOp.symlink("/proc/self/fd", "/dev/fd"), SetupOp.chmod("/", 0750)),
                List.of(MountOp.bind("/nix/store/abc-x y", "/nix/store/abc-x y", true),
                        MountOp.tmpfs("/dev/shm", 01777), MountOp.proc("/proc"), MountOp.rbind("/dev/pts", "/dev/pts", false)),
                "/build/src", List.of("/nix/store/b-bash/bin/bash", "-c", "echo 'ü\n\"$x\"'", "--", ""),
                List.of("TERM=xterm", "A=b=c"), "PS1='x'\n");
        assertEquals(plan, PlanCodec.decode(PlanCodec.encode(plan)));
    }

    @Test
    void nullRcSurvives() throws IOException {
        SandboxPlan plan = new SandboxPlan("/r", "h", "d", false, PROFILE, 0, List.of(), List.of(), "/build", List.of("/bin/sh"),
                List.of(), null);
        assertEquals(null, PlanCodec.decode(PlanCodec.encode(plan)).rcScript());
    }

    @Test
    void somethingElseIsRejected() {
        assertThrows(IOException.class, () -> PlanCodec.decode("not a plan at all".getBytes()));
    }
}
