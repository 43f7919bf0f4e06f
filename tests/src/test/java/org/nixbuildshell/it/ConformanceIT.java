package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same probe ran inside the real Nix sandbox (the fixture's failing
 * builder saved its output as probe.nix.out) and now runs inside
 * nix-build-shell on the kept directory: the two must agree line for line,
 * but for the documented differences in {@link NixConformance}.
 */
class ConformanceIT {
    @TempDir
    Path tmp;

    @Test
    void probeMatchesTheRealNixSandbox() throws IOException {
        List<String> nix = Files.readAllLines(Fixtures.simple().resolve("probe.nix.out"));
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
        assertEquals(0, r.status(), r.toString());
        List<String> ours = r.stdout().lines().toList();
        assertTrue(nix.size() > 100, "the reference probe output is too short: " + nix.size() + " lines");

        List<String> expected = NixConformance.normalise(nix);
        List<String> actual = NixConformance.normalise(ours);
        List<String> report = new ArrayList<>();
        for (String line : expected) {
            if (!actual.contains(line)) {
                report.add("- " + line + "   (in Nix, not in nix-build-shell)");
            }
        }
        for (String line : actual) {
            if (!expected.contains(line)) {
                report.add("+ " + line + "   (in nix-build-shell, not in Nix)");
            }
        }
        assertEquals(List.of(), report, "undocumented differences from the real Nix sandbox");
        assertEquals(expected, actual, "same lines, different order");
    }

    @Test
    void theDifferencesThemselvesAreWhatWeSay() throws IOException {
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
        for (String point : List.of("/", "/dev/null", "/dev/pts", Fixtures.get("STORE_BASH").replaceFirst("/bin/bash$", ""))) {
            assertTrue(mounts.stream().anyMatch(l -> l.startsWith("mount: " + point + " ") && l.matches(readOnly)),
                    point + " is not read-only: " + mounts);
        }
        assertTrue(mounts.stream().filter(l -> NixConformance.readOnlyHere(l.split(" ")[1]))
                .allMatch(l -> l.matches(readOnly)), "all of " + mounts);
    }
}
