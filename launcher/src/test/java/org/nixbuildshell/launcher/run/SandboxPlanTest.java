package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.profile.NixProfiles;
import org.nixbuildshell.launcher.profile.NixVersion;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.plan.MountOp;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SandboxProfile;

/** The planner as a function of the build, the profile, the request and the host's facts: no namespaces. */
class SandboxPlanTest {
    private static final String SHELL = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bash/bin/bash";

    @TempDir
    Path root;

    private static BuildSpec spec(String envVars) {
        EnvVars env = EnvVars.parse(envVars);
        return new BuildSpec("given", "hello-1.0", null, null, env, SHELL, Map.of(), Set.of(), null);
    }

    private static SandboxPlanner.Request command(String... argv) {
        return new SandboxPlanner.Request(List.of(argv), false, List.of(), Map.of(), null, false);
    }

    private static SandboxProfile profile(String version) {
        return NixProfiles.forVersion(NixVersion.of(version));
    }

    /** A host with exactly these paths. */
    private static Host host(String sandboxPathsSh, String... paths) {
        Set<String> existing = Set.of(paths);
        return new Host(existing::contains, sandboxPathsSh);
    }

    @Test
    void mountsFollowTheBuildTheProfileAndTheHost() throws IOException {
        Files.createDirectories(root.resolve("build/src"));
        SandboxPlan plan = SandboxPlanner.plan(command("make"), spec("declare -x PWD=\"/build/src\"\n"), root,
                List.of("/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-gcc"), false, null, Stdenv.NONE, profile("2.26"),
                host(null, "/dev/null", "/dev/zero", "/usr/bin/bash-static"));
        List<String> targets = plan.mounts().stream().map(MountOp::target).toList();
        assertEquals(List.of("/build", "/tmp", "/nix/store", "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-gcc", "/bin/sh",
                "/dev/null", "/dev/zero", "/dev/pts", "/dev/shm", "/proc"), targets, "only the devices the host has");
        MountOp binSh = plan.mounts().get(targets.indexOf("/bin/sh"));
        assertEquals("/usr/bin/bash-static", binSh.source(), "2.26's sandbox shell, as Debian builds it");
        assertTrue(plan.mounts().stream().filter(m -> m.target().startsWith("/nix/store/")).allMatch(MountOp::readOnly));
        // the inputs' mount points on a tmpfs of their own (issue 20), with the store directory's mode
        MountOp view = plan.mounts().stream().filter(m -> m.target().equals("/nix/store")).findFirst().orElseThrow();
        assertEquals(MountOp.Kind.STORE_VIEW, view.kind());
        assertEquals(01775, view.mode());
        assertEquals("/build/src", plan.workdir());
        assertEquals(List.of(SHELL, ShellScripts.SCRIPT_FILE, "make"), plan.argv());
        assertEquals(SandboxProfile.ADDR_NO_RANDOMIZE, plan.personality());
    }

    @Test
    void theBuildsShellIsBinShWhereNothingElseNamesOne() {
        SandboxPlan plan = SandboxPlanner.plan(command("true"), spec(""), root, null, false, null, Stdenv.NONE,
                profile("2.8"), host(null));
        MountOp store = plan.mounts().stream().filter(m -> m.target().equals("/nix/store")).findFirst().orElseThrow();
        assertEquals(MountOp.Kind.RBIND, store.kind(), "no closure: the whole store, read-only");
        assertTrue(store.readOnly());
        assertEquals(SHELL, plan.mounts().stream().filter(m -> m.target().equals("/bin/sh")).findFirst().orElseThrow().source());
        assertEquals("/build", plan.workdir(), "no PWD: /build");
        assertFalse(plan.mounts().stream().anyMatch(m -> m.target().startsWith("/dev/") && m.kind() == MountOp.Kind.BIND),
                "no device the host lacks");
    }

    @Test
    void anI686BuildGetsA32BitPersonalityAndTheTerminalItsTerm() {
        SandboxPlan plan = SandboxPlanner.plan(command("uname", "-m"), spec("declare -x system=\"i686-linux\"\n"), root,
                List.of(), true, "xterm-kitty", Stdenv.NONE, profile("2.34"), host("/bin/busybox", "/bin/busybox"));
        assertEquals(SandboxProfile.ADDR_NO_RANDOMIZE | SandboxProfile.PER_LINUX32, plan.personality());
        assertTrue(plan.env().contains("TERM=xterm-kitty"), plan.env().toString());
        assertEquals("/bin/busybox", plan.mounts().stream().filter(m -> m.target().equals("/bin/sh")).findFirst()
                .orElseThrow().source(), "sandbox-paths in nix.conf win");
    }
}
