package org.nixbuildshell.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
    @Test
    void roundTripKeepsEveryFieldIncludingAwkwardStrings() throws IOException {
        SandboxPlan plan = new SandboxPlan("/tmp/nix-build-shell-1/root",
                "localhost", "(none)", true,
                List.of(MountOp.bind("/nix/store/abc-x y", "/nix/store/abc-x y", true),
                        MountOp.tmpfs("/dev/shm", 01777), MountOp.proc("/proc"), MountOp.rbind("/dev/pts", "/dev/pts", false)),
                "/build/src", List.of("/nix/store/b-bash/bin/bash", "-c", "echo 'ü\n\"$x\"'", "--", ""),
                List.of("TERM=xterm", "A=b=c"), "PS1='x'\n");
        assertEquals(plan, PlanCodec.decode(PlanCodec.encode(plan)));
    }

    @Test
    void nullRcSurvives() throws IOException {
        SandboxPlan plan = new SandboxPlan("/r", "h", "d", false, List.of(), "/build", List.of("/bin/sh"),
                List.of(), null);
        assertEquals(null, PlanCodec.decode(PlanCodec.encode(plan)).rcScript());
    }

    @Test
    void somethingElseIsRejected() {
        assertThrows(IOException.class, () -> PlanCodec.decode("not a plan at all".getBytes()));
    }
}
