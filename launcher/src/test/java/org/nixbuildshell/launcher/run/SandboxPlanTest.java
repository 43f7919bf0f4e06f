package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.profile.HostNix;
import org.nixbuildshell.launcher.profile.NixProfiles;
import org.nixbuildshell.launcher.profile.NixVersion;
import org.nixbuildshell.launcher.profile.ProfileChoice;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SetupOp;
import org.nixbuildshell.seccomp.SeccompRule;

/**
 * The planner as a function of the build, the profile, the request and the host's facts: no
 * namespaces, no disk. Each profile's operations and settings, and what a joined command gets.
 */
class SandboxPlanTest {
    private static final String SHELL = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bash/bin/bash";
    private static final Path ROOT = Path.of("/tmp/nbs-plan-test/root");

    private static BuildSpec spec(String envVars) {
        return new BuildSpec.Fresh("given", "hello-1.0", EnvVars.parse(envVars), SHELL, Map.of(), Set.of());
    }

    private static SandboxPlanner.Request command(String... argv) {
        return new SandboxPlanner.Request(List.of(argv), false, List.of(), Map.of(), null, false, false, null);
    }

    private static ProfileChoice nix(String version) {
        NixVersion v = NixVersion.of(version);
        return ProfileChoice.choose(v, new HostNix.Answer(v, null), null);
    }

    /** A host with exactly these paths. */
    private static Host host(String sandboxPathsSh, String... paths) {
        return new Host(Set.of(paths), sandboxPathsSh);
    }

    private static SandboxPlan plan(SandboxPlanner.Request request, String envVars, List<String> store, String version,
                                    Host host) {
        BuildSpec build = spec(envVars);
        RootFacts facts = new RootFacts(ROOT, false, RootFacts.workdir(build.env().get("PWD"), Path.of("/nonexistent")));
        return SandboxPlanner.plan(new SandboxPlanner.Input(request, build, facts, store, Stdenv.NONE, nix(version), host));
    }

    private static SetupOp op(SandboxPlan plan, SetupOp.Kind kind, String path) {
        return plan.setup().stream().filter(o -> o.kind() == kind && o.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + path + " in " + plan.setup()));
    }

    private static List<String> mountTargets(SandboxPlan plan) {
        return plan.setup().stream().filter(SetupOp::mounts).filter(o -> o.kind() != SetupOp.Kind.MAKE_PRIVATE)
                .map(SetupOp::path).toList();
    }

    @Test
    void oneListBuildsTheRootThenMountsThenSealsIt() {
        SandboxPlan plan = plan(command("make"), "", List.of("/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-gcc"), "2.26",
                host(null, "/dev/null", "/dev/zero", "/usr/bin/bash-static"));
        List<SetupOp.Kind> kinds = plan.setup().stream().map(SetupOp::kind).toList();
        int firstMount = kinds.indexOf(SetupOp.Kind.MAKE_PRIVATE);
        assertTrue(firstMount > 0 && kinds.subList(0, firstMount).stream().noneMatch(k -> k.compareTo(SetupOp.Kind.MAKE_PRIVATE) >= 0),
                "files and modes first, then the mount namespace: " + kinds);
        assertEquals(SetupOp.bind(ROOT.toString(), "/", false, 0755), plan.setup().get(firstMount + 1), "the root on itself");
        assertEquals(SetupOp.remountReadOnly("/"), plan.setup().get(plan.setup().size() - 1), "sealed last");
        assertEquals(List.of("/", "/build", "/tmp", "/nix/store", "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-gcc", "/bin/sh",
                "/dev/null", "/dev/zero", "/dev/pts", "/dev/shm", "/proc", "/"), mountTargets(plan),
                "only the devices the host has");
        assertEquals("mode=1777,size=50%", op(plan, SetupOp.Kind.TMPFS, "/dev/shm").data());
        assertTrue(plan.setup().stream().filter(o -> o.path().startsWith("/nix/store/")).allMatch(SetupOp::readOnly));
        assertTrue(plan.loopback());
    }

    @Test
    void eachProfileShapesTheRootAsItsNixDid() {
        Host host = host(null, "/dev/null", "/dev/kvm", "/usr/bin/bash-static");
        for (String version : List.of("2.8", "2.26", "2.34", "2.35")) {
            SandboxPlan plan = plan(command("true"), "", List.of(), version, host);
            boolean old = version.equals("2.8");
            assertEquals(old ? 0755 : 0555, op(plan, SetupOp.Kind.CHMOD, "/etc").mode(), version + ": /etc");
            assertEquals(0750, op(plan, SetupOp.Kind.CHMOD, "/").mode(), version + ": /");
            assertEquals(01775, op(plan, SetupOp.Kind.CHMOD, "/nix/store").mode(), version + ": /nix/store");
            assertEquals(old ? SHELL : "/usr/bin/bash-static", op(plan, SetupOp.Kind.BIND, "/bin/sh").source(),
                    version + ": Debian's 2.8 binds no /bin/sh; later ones bash-static");
            assertEquals("/dev/kvm", op(plan, SetupOp.Kind.BIND, "/dev/kvm").source(), version);
            assertEquals(Set.of("/etc/passwd", "/etc/group", "/etc/hosts"), Set.copyOf(plan.setup().stream()
                    .filter(o -> o.kind() == SetupOp.Kind.WRITE_FILE).map(SetupOp::path).toList()), version);
        }
    }

    @Test
    void eachProfileGivesItsProcessSettings() {
        ProcessSettings old = plan(command("true"), "", List.of(), "2.8", host(null)).settings();
        assertEquals(022, old.umask());
        assertEquals(0, old.coreLimit());
        assertEquals(ProcessSettings.ADDR_NO_RANDOMIZE, old.personality());
        assertTrue(old.noNewPrivs() && old.dropCapabilities());
        assertEquals("nix-2.8", old.seccomp().name());
        assertEquals(0, old.landlockScopes());
        assertEquals("nix-2.8", plan(command("true"), "", List.of(), "2.34", host(null)).settings().seccomp().name());
        ProcessSettings newest = plan(command("true"), "", List.of(), "2.35", host(null)).settings();
        assertEquals("nix-2.35", newest.seccomp().name());
        assertTrue(newest.seccomp().rules().stream().map(SeccompRule::syscalls).anyMatch(s -> s.contains("flistxattr")));
        assertEquals(ProcessSettings.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, newest.landlockScopes());
    }

    @Test
    void landlockFollowsThePatchReleasesThatBackportedIt() {
        for (String yes : List.of("2.31.4", "2.32.7", "2.33.4", "2.34.5", "2.34.8", "2.35.0", "2.36.1")) {
            assertEquals(ProcessSettings.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
                    plan(command("true"), "", List.of(), yes, host(null)).settings().landlockScopes(), yes);
        }
        for (String no : List.of("2.26.3", "2.31.3", "2.32.6", "2.33.3", "2.34.4")) {
            assertEquals(0, plan(command("true"), "", List.of(), no, host(null)).settings().landlockScopes(), no);
        }
    }

    @Test
    void noClosureMeansTheWholeStoreReadOnlyAndTheBuildsShell() {
        SandboxPlan plan = plan(command("true"), "", null, "2.8", host(null));
        SetupOp store = op(plan, SetupOp.Kind.RBIND, "/nix/store");
        assertTrue(store.readOnly(), "no closure: the whole store, read-only");
        assertEquals(SHELL, op(plan, SetupOp.Kind.BIND, "/bin/sh").source());
        assertEquals("/build", plan.command().workdir(), "no PWD: /build");
        assertFalse(plan.setup().stream().anyMatch(o -> o.path().startsWith("/dev/") && o.kind() == SetupOp.Kind.BIND),
                "no device the host lacks");
    }

    @Test
    void anI686BuildGetsA32BitPersonalityAndTheTerminalItsTerm() {
        SandboxPlanner.Request request = new SandboxPlanner.Request(List.of("uname", "-m"), false, List.of(), Map.of(),
                null, false, true, "xterm-kitty");
        SandboxPlan plan = plan(request, "declare -x system=\"i686-linux\"\n", List.of(), "2.34",
                host("/bin/busybox", "/bin/busybox"));
        assertEquals(ProcessSettings.ADDR_NO_RANDOMIZE | ProcessSettings.PER_LINUX32, plan.settings().personality());
        assertTrue(plan.command().env().contains("TERM=xterm-kitty"), plan.command().env().toString());
        assertEquals("/bin/busybox", op(plan, SetupOp.Kind.BIND, "/bin/sh").source(), "sandbox-paths in nix.conf win");
    }

    @Test
    void sharingTheNetworkKeepsTheHostsInterfacesAndBindsItsResolver() {
        SandboxPlanner.Request request = new SandboxPlanner.Request(List.of("true"), true, List.of(), Map.of(), null,
                false, false, null);
        SandboxPlan plan = plan(request, "", List.of(), "2.34", host(null, "/etc/resolv.conf"));
        assertFalse(plan.loopback(), "the host's network: no lo of our own to bring up");
        assertEquals("/etc/resolv.conf", op(plan, SetupOp.Kind.BIND, "/etc/resolv.conf").source());
        assertTrue(plan.setup().stream().noneMatch(o -> o.path().equals("/etc/services")), "only what the host has");
    }

    @Test
    void aFixedOutputDerivationGetsTheHostsNetworkAndAResolversEtcWithoutAsking() {
        String fetch = "declare -x outputHash=\"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"\n";
        SandboxPlan plan = plan(command("true"), fetch, List.of(), "2.34",
                host(null, "/etc/resolv.conf", "/etc/hosts", "/etc/ssl/certs/ca-certificates.crt"));
        assertFalse(plan.loopback(), "the host's network, as Nix gives a fixed-output derivation");
        assertEquals("hosts: files dns\nservices: files\n", op(plan, SetupOp.Kind.WRITE_FILE, "/etc/nsswitch.conf").data());
        assertEquals("/etc/hosts", op(plan, SetupOp.Kind.BIND, "/etc/hosts").source(), "the host's hosts, not Nix's");
        assertTrue(plan.setup().stream().noneMatch(o -> o.kind() == SetupOp.Kind.WRITE_FILE && o.path().equals("/etc/hosts")));
        assertEquals("/etc/ssl/certs/ca-certificates.crt",
                op(plan, SetupOp.Kind.BIND, "/etc/ssl/certs/ca-certificates.crt").source());
        SandboxPlan normal = plan(command("true"), "", List.of(), "2.34", host(null, "/etc/resolv.conf"));
        assertTrue(normal.loopback());
        assertTrue(normal.setup().stream().noneMatch(o -> o.path().startsWith("/etc/resolv") || o.path().equals("/etc/nsswitch.conf")));
    }

    @Test
    void aJoinedCommandIsTheSameCommandTheSessionWouldStart() {
        SandboxPlanner.Request request = command("make", "check");
        BuildSpec build = spec("declare -x PWD=\"/build\"\n");
        RootFacts facts = new RootFacts(ROOT, false, "/build");
        SandboxPlan plan = SandboxPlanner.plan(new SandboxPlanner.Input(request, build, facts, List.of(), Stdenv.NONE,
                nix("2.34"), host(null)));
        assertEquals(plan.command(), SandboxPlanner.command(request, build, facts, Stdenv.NONE),
                "a joining run computes the command alone; its settings are the session's (PlanCodec)");
        assertEquals(List.of(SHELL, ShellScripts.SCRIPT_FILE, "make", "check"), plan.command().argv());
        assertNull(plan.command().env().stream().filter(e -> e.startsWith("TERM=")).findFirst().orElse(null));
    }
}
