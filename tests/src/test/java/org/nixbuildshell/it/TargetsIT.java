package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the build as data. A kept build whose env-vars only the build
 * user can read (as current nixpkgs leaves it), a derivation as the target,
 * and sudo, which runs the sandbox as the invoking user.
 */
class TargetsIT {
    private static final Pattern KEPT = Pattern.compile("kept the sandbox root at (\\S+)");

    @TempDir
    Path tmp;

    /** The kept fixture as Nix left it: env-vars 0600, owned by the build user. */
    @Test
    void anUnreadableEnvVarsIsRebuiltFromTheDerivation() throws IOException {
        Path kept = Path.of(Fixtures.get("FIXTURE_STDENV_BUILD"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.resolve("env-vars"))),
                "the fixture's env-vars is not 0600");
        Tool.Result r = Tool.run(tmp, kept, "buildPhase");
        assertNotEquals(0, r.status(), r.toString());
        assertTrue(r.stderr().contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR")), r.toString());
    }

    @Test
    void withoutItsDerivationTheErrorNamesTheWaysOut() throws Exception {
        // a copy under a name that leads to no derivation; env-vars made unreadable to whoever runs this
        Path copy = tmp.resolve("renamed");
        Process cp = new ProcessBuilder("cp", "-a", Fixtures.get("FIXTURE_STDENV_BUILD_OPEN"), copy.toString()).start();
        assertEquals(0, cp.waitFor());
        // and from a time no build log is near (issue 18: else the recently failed build that fits is found)
        FileTime longAgo = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
        Files.setLastModifiedTime(copy.resolve("env-vars"), longAgo);
        Files.setLastModifiedTime(copy, longAgo);
        Files.setPosixFilePermissions(copy.resolve("env-vars"), Set.of());
        if (Files.isReadable(copy.resolve("env-vars"))) {
            // root reads any env-vars: nothing to rebuild, nothing to find (the unprivileged pass sees the
            // error). As Nix leaves it: 0600, which the copy's owner, the sandbox's user, may read
            Files.setPosixFilePermissions(copy.resolve("env-vars"), PosixFilePermissions.fromString("rw-------"));
            Tool.Result root = Tool.run(tmp, copy, "buildPhase");
            assertNotEquals(0, root.status(), root.toString());
            assertTrue(root.stderr().contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR")), root.toString());
            assertFalse(root.stderr().contains("rebuilt from"), root.toString());
            return;
        }
        Tool.Result r = Tool.run(tmp, copy, "true");
        assertEquals(112, r.status(), r.toString());
        assertTrue(r.stderr().contains("--drv"), r.toString());
        assertTrue(r.stderr().contains("sudo"), r.toString());
        assertEquals(1, r.stderr().strip().lines().filter(l -> l.startsWith("nix-build-shell: error")).count(), r.toString());

        Tool.Result named = Tool.run(tmp, "--drv", Fixtures.get("DRV_STDENV_BUILD"), copy, "buildPhase");
        assertNotEquals(0, named.status(), named.toString());
        assertTrue(named.stderr().contains(Fixtures.get("EXPECT_STDENV_BUILD_ERROR")), named.toString());
    }

    @Test
    void aDerivationBuildsAsInNixAndFailsWhereNixFailed() {
        Tool.Result r = Tool.run(tmp, Fixtures.get("DRV_STDENV_CHECK"), "genericBuild");
        assertNotEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("Running phase: checkPhase") || r.stderr().contains("Running phase: checkPhase"),
                r.toString());
        assertTrue((r.stdout() + r.stderr()).contains(Fixtures.get("EXPECT_STDENV_CHECK_ERROR")), r.toString());
    }

    @Test
    void aStructuredDerivationGetsItsAttrsFiles() {
        Tool.Result r = Tool.run(tmp, Fixtures.get("DRV_STDENV_STRUCTURED"), "bash", "-c",
                "ls -A /build; echo \"$NIX_ATTRS_SH_FILE\"; type -t genericBuild");
        assertEquals(0, r.status(), r.toString());
        assertEquals(".attrs.json\n.attrs.sh\nenv-vars\n/build/.attrs.sh\nfunction\n", r.stdout(), r.toString());
    }

    /** The fixture's builder ran the probe in the real sandbox; the same probe in our sandbox of its derivation. */
    @Test
    void theProbeInADerivationsSandboxMatchesTheKeptOne() throws IOException {
        Tool.Result drv = Tool.run(tmp, Fixtures.get("DRV_SIMPLE"), Fixtures.get("STORE_BASH"), Fixtures.get("STORE_PROBE"));
        assertEquals(0, drv.status(), drv.toString());
        List<String> nix = NixConformance.normalise(Files.readAllLines(Fixtures.simple().resolve("probe.nix.out")));
        List<String> ours = NixConformance.normalise(drv.stdout().lines().toList());
        List<String> report = new ArrayList<>();
        // the builder had cd'ed into src/ when it ran the probe: the working directory is the one difference
        Pattern workdir = Pattern.compile("^(env\\.PWD|pwd|pwd\\.physical): ");
        nix.stream().filter(l -> !ours.contains(l) && !workdir.matcher(l).find()).forEach(l -> report.add("- " + l));
        ours.stream().filter(l -> !nix.contains(l) && !workdir.matcher(l).find()).forEach(l -> report.add("+ " + l));
        assertEquals(List.of(), report, "differences from the real Nix sandbox");
        assertTrue(ours.contains("pwd: /build"), drv.stdout());
    }

    /** A .nix file: nix-instantiate makes the derivation (options end at the target, so -A comes first). */
    @Test
    void aNixFileWithAnAttribute() throws IOException {
        String bash = Fixtures.get("STORE_BASH").replaceFirst("/bin/bash$", "");
        Path file = Files.writeString(tmp.resolve("pkg.nix"), "{\n  hello = derivation {\n    name = \"nbs-from-nix\";\n"
                + "    system = builtins.currentSystem;\n    builder = \"${builtins.storePath \"" + bash + "\"}/bin/bash\";\n"
                + "    args = [ \"-c\" \"exit 1\" ];\n    greeting = \"hi there\";\n  };\n}\n");
        file.toFile().setReadable(true, false);
        Tool.Result r = Tool.run(tmp, "-A", "hello", file, bash + "/bin/bash", "-c", "echo \"$name: $greeting\"; pwd; echo /build/* /build/.[!.]*");
        assertEquals(0, r.status(), r.toString());
        assertEquals("nbs-from-nix: hi there\n/build\n/build/env-vars /build/.[!.]*\n", r.stdout(), r.toString());

        Tool.Result noAttr = Tool.run(tmp, "-A", "nothing", file, "true");
        assertNotEquals(0, noAttr.status(), noAttr.toString());
        assertTrue(noAttr.stderr().contains("cannot evaluate " + file), noAttr.toString());
    }

    @Test
    void missingInputsAreNamedWithTheCommandThatBuildsThem() throws IOException {
        Path drv = tmp.resolve("needs-unbuilt.drv");
        String missing = "/nix/store/00000000000000000000000000000000-never-built.drv";
        Files.writeString(drv, "Derive([(\"out\",\"/nix/store/11111111111111111111111111111111-x\",\"\",\"\")],"
                + "[(\"" + missing + "\",[\"out\"])],[],\"x86_64-linux\",\"" + Fixtures.get("STORE_BASH") + "\",[],"
                + "[(\"name\",\"x\")])");
        Tool.Result r = Tool.run(tmp, drv, "true");
        // the input derivation itself is not in the store: that is the first thing missing
        assertEquals(121, r.status(), r.toString());
        assertTrue(r.stderr().contains("nix-store --realise"), r.toString());
    }

    /**
     * Under sudo (root with SUDO_UID/SUDO_GID) uid 1000 inside is the invoking user, and the copy is
     * theirs. Run by anyone else, SUDO_* in the environment must change nothing.
     */
    @Test
    void sudoRunsTheSandboxAsTheInvokingUser() throws Exception {
        long user = otherUser();
        Map<String, String> sudo = Map.of("SUDO_UID", Long.toString(user), "SUDO_GID", Long.toString(user));
        // the sandbox's user must reach its root: JUnit's temp dir is 0700 (the tool says so, see below)
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Tool.Result r = Tool.run(tmp, sudo, "--keep-root", Fixtures.get("FIXTURE_STDENV_BUILD"), "bash", "-c",
                "cat /proc/self/uid_map; id -G");
        assertEquals(0, r.status(), r.toString());
        Matcher kept = KEPT.matcher(r.stderr());
        assertTrue(kept.find(), r.toString());
        Path root = Path.of(kept.group(1));
        try {
            long expected = Tool.uid() == 0 ? user : Tool.uid();
            assertEquals("1000 " + expected + " 1", r.stdout().lines().findFirst().orElse("").trim().replaceAll("\\s+", " "),
                    r.toString());
            String groups = r.stdout().lines().skip(1).findFirst().orElse("");
            if (Tool.uid() == 0) {
                assertEquals("100", groups, "root's groups must be gone: " + r);
            } else {
                assertTrue(groups.startsWith("100"), r.toString()); // plus 65534 per other group (documented)
            }
            assertEquals((int) expected, Files.getAttribute(root.resolve("build"), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                    "the working copy belongs to the sandbox's user");
            assertEquals((int) expected, Files.getAttribute(root.resolve("build/env-vars"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } finally {
            Dirs.delete(root.getParent());
        }
    }

    /** The unprivileged test user's uid when it exists, else nobody's. */
    private static long otherUser() throws Exception {
        Process p = new ProcessBuilder("id", "-u", System.getenv().getOrDefault("NBS_TEST_USER", "nbs-test"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? Long.parseLong(out) : 65534;
    }
}
