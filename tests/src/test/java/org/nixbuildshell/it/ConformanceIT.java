package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same probe ran inside the real Nix sandbox (the fixture's failing
 * builder saved its output as probe.nix.out) and now runs inside
 * nix-build-shell on the kept directory, for each measured Nix version
 * (2.8 on this host, 2.26 and 2.34 in containers): the two must agree line
 * for line, but for the documented differences in {@link NixConformance}.
 */
class ConformanceIT {
    @TempDir
    Path tmp;

    /** A fixture of one Nix version: its kept directory and the probe's command line there. */
    private record Fixture(String version, Path dir, String shell, String probe) {
        static Fixture of(String version) {
            if (version.equals("2.8")) {
                return new Fixture(version, Fixtures.simple(), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
            }
            // "2.34-fod": the failed fetch (a fixed-output derivation) Nix 2.34 built for an ordinary user
            Path dir = Path.of(Fixtures.newerNix("FIXTURE_NIX" + version.replace(".", "").replace("-fod", "FOD")));
            return new Fixture(version, dir, Fixtures.exported(dir, "SHELL"), Fixtures.exported(dir, "probe"));
        }

        Tool.Result run(Path tmp) {
            return Tool.run(tmp, dir, shell, probe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.8", "2.26", "2.34", "2.34-fod"})
    void probeMatchesTheRealNixSandbox(String version) throws IOException {
        Fixture fixture = Fixture.of(version);
        List<String> nix = Files.readAllLines(fixture.dir().resolve("probe.nix.out"));
        Tool.Result r = fixture.run(tmp);
        assertEquals(0, r.status(), r.toString());
        List<String> ours = r.stdout().lines().toList();
        assertTrue(nix.size() > 100, "the reference probe output is too short: " + nix.size() + " lines");

        List<NixConformance.Difference> differences = NixConformance.forVersion(version);
        List<String> expected = NixConformance.normalise(nix, differences);
        List<String> actual = NixConformance.normalise(ours, differences);
        List<String> report = new ArrayList<>();
        for (String line : expected) {
            if (!actual.contains(line)) {
                report.add("- " + line + "   (in Nix " + version + ", not in nix-build-shell)");
            }
        }
        for (String line : actual) {
            if (!expected.contains(line)) {
                report.add("+ " + line + "   (in nix-build-shell, not in Nix " + version + ")");
            }
        }
        assertEquals(List.of(), report, "undocumented differences from the real Nix " + version + " sandbox");
        assertEquals(expected, actual, "same lines, different order");
    }

    /** A fixed-output derivation has the host's network, and a resolver's /etc, in Nix's sandbox and in ours. */
    @Test
    void aFixedOutputDerivationGetsTheHostsNetworkAndAResolversEtc() throws IOException {
        Fixture fixture = Fixture.of("2.34-fod");
        List<String> nix = Files.readAllLines(fixture.dir().resolve("probe.nix.out"));
        List<String> ours = fixture.run(tmp).stdout().lines().toList();
        for (List<String> probe : List.of(nix, ours)) {
            assertTrue(probe.stream().anyMatch(l -> l.startsWith("net.if: ") && !l.startsWith("net.if: lo ")),
                    "only lo: not the host's network\n" + String.join("\n", probe));
            assertTrue(probe.containsAll(List.of("etc.ls: group", "etc.ls: nsswitch.conf", "etc.ls: passwd")), String.join("\n", probe));
            assertFalse(probe.contains("etc.hosts: 127.0.0.1 localhost") && !Files.exists(Path.of("/etc/hosts")),
                    "a generated /etc/hosts");
        }
        assertEquals(Files.exists(Path.of("/etc/resolv.conf")), ours.contains("etc.ls: resolv.conf"), String.join("\n", ours));
        Tool.Result banner = Tool.run(tmp, "--new", fixture.dir(), "true");
        assertEquals(0, banner.status(), banner.toString());
    }

    /** What issue 9 made match, compared raw: no documented difference may hide them. */
    @ParameterizedTest
    @ValueSource(strings = {"2.8", "2.26", "2.34"})
    void etcPersonalityAndNestedUserNamespacesAreNixs(String version) throws IOException {
        Fixture fixture = Fixture.of(version);
        List<String> nix = Files.readAllLines(fixture.dir().resolve("probe.nix.out"));
        List<String> ours = fixture.run(tmp).stdout().lines().toList();
        for (String key : List.of("personality: ", "userns.unshare: ", "umask: ", "ulimit.core: ", "status.NoNewPrivs: ",
                "status.Seccomp: ")) {
            assertEquals(nix.stream().filter(l -> l.startsWith(key)).toList(),
                    ours.stream().filter(l -> l.startsWith(key)).toList(), key);
        }
        assertEquals(modeOf(nix, "/etc"), modeOf(ours, "/etc"));
        assertEquals(version.equals("2.8") ? "755" : "555", modeOf(ours, "/etc"));
        if (!version.equals("2.8")) {
            // Debian's 2.26 and 2.34 bind bash-static at /bin/sh; the host has it too
            assertTrue(ours.contains("bin.sh_runs: ok") && nix.contains("bin.sh_runs: ok"), String.join("\n", ours));
            assertEquals(modeOf(nix, "/bin/sh"), modeOf(ours, "/bin/sh"));
        }
    }

    /** The mode in a probe's "stat: PATH TYPE MODE ..." line. */
    private static String modeOf(List<String> probe, String path) {
        return probe.stream().filter(l -> l.startsWith("stat: " + path + " "))
                .map(l -> l.replaceFirst("^stat: \\S+ (directory|regular file|\\S+) (\\d+) .*$", "$2"))
                .findFirst().orElse("(none)");
    }

    @Test
    void theDifferencesThemselvesAreWhatWeSay() {
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
        List<String> ours = r.stdout().lines().toList();
        assertTrue(ours.contains("uid_map: 1000 " + Tool.uid() + " 1"), r.stdout());
        assertTrue(ours.contains("gid_map: 100 " + Tool.gid() + " 1"), r.stdout());
        assertTrue(ours.contains("root.ls: bin build dev etc nix proc tmp"), r.stdout());
        assertTrue(ours.contains("dev: ptmx,c,"), r.stdout());
        assertTrue(ours.contains("bin.sh_runs: ok"), r.stdout());
        assertTrue(ours.contains("write.input_store_path: denied (Read-only file system)"), r.stdout());
        List<String> mounts = ours.stream().filter(l -> l.startsWith("mount: ")).toList();
        String readOnly = "mount: \\S+ \\S+ ro\\b.*";
        for (String point : List.of("/", "/bin/sh", "/dev/null", "/dev/pts",
                Fixtures.get("STORE_BASH").replaceFirst("/bin/bash$", ""))) {
            assertTrue(mounts.stream().anyMatch(l -> l.startsWith("mount: " + point + " ") && l.matches(readOnly)),
                    point + " is not read-only: " + mounts);
        }
        assertTrue(mounts.stream().filter(l -> NixConformance.readOnlyHere(l.split(" ")[1]))
                .allMatch(l -> l.matches(readOnly)), "all of " + mounts);
    }
}
