package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 5: the command line, each kept-directory layout (issue 9: as real Nix kept them), structured attrs. */
class CliIT {
    @TempDir
    Path tmp;
    @TempDir
    Path host;

    private Tool.Result run(Object... args) {
        Tool.Result r = Tool.run(tmp, args);
        assertEquals(List.of(), Tool.leftovers(tmp), "a temp root was left behind\n" + r);
        assertFalse(r.stderr().contains("Exception"), r.toString());
        return r;
    }

    /** Each layout as real Nix kept it: 2.8's flat directory, 2.26's and 2.34's outer and inner ones, a symlink. */
    @ParameterizedTest
    @ValueSource(strings = {"FIXTURE_SIMPLE", "FIXTURE_NIX226", "FIXTURE_NIX226_OUTER", "FIXTURE_NIX234",
        "FIXTURE_NIX234_OUTER", "symlink to FIXTURE_NIX234_OUTER"})
    void everyLayoutIsAccepted(String fixture) throws IOException {
        String var = fixture.replaceFirst("^symlink to ", "");
        Path dir = Path.of(var.equals("FIXTURE_SIMPLE") ? Fixtures.get(var) : Fixtures.newerNix(var));
        if (!fixture.equals(var)) {
            dir = Files.createSymbolicLink(host.resolve("kept"), dir);
        }
        Tool.Result r = run(dir, "bash", "-c", "echo $PWD; ls /build; cat /build/src/subdir/hello.txt");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        assertEquals("/build/src", lines.get(0), r.toString());
        assertTrue(lines.containsAll(List.of("env-vars", "src")), r.toString());
        assertFalse(lines.contains("build") || lines.contains("b"), "the outer directory was copied\n" + r);
    }

    @Test
    void structuredAttrsAreSourced() {
        // builtins run in the shell that sourced env-vars and .attrs.sh
        Tool.Result r = run(Fixtures.get("FIXTURE_STRUCTURED"), "declare", "-p", "name", "outputs");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("name=\"nbs-structured\""), r.toString());
        assertTrue(r.stdout().contains("declare -A outputs=([out]=\"/nix/store/"), r.toString());
    }

    @Test
    void bindIsWritableInside() throws IOException {
        Files.writeString(host.resolve("in.txt"), "from the host\n");
        Tool.Result r = run("--bind", host + ":/opt/host", Fixtures.simple(), "bash", "-c",
                "cat /opt/host/in.txt && echo from inside > /opt/host/out.txt");
        assertEquals(0, r.status(), r.toString());
        assertEquals("from the host\n", r.stdout());
        assertEquals("from inside\n", Files.readString(host.resolve("out.txt")));
    }

    @Test
    void bindWithoutDestinationUsesTheSamePath() throws IOException {
        Files.writeString(host.resolve("in.txt"), "same path\n");
        Tool.Result r = run("--bind", host, Fixtures.simple(), "cat", host.resolve("in.txt"));
        assertEquals("same path\n", r.stdout(), r.toString());
    }

    @Test
    void roBindIsReadOnlyInside() throws IOException {
        Files.writeString(host.resolve("in.txt"), "read me\n");
        Tool.Result r = run("--ro-bind", host + ":/opt/ro", Fixtures.simple(), "bash", "-c",
                "cat /opt/ro/in.txt; echo x > /opt/ro/new.txt && echo WROTE; touch /opt/ro/in.txt && echo TOUCHED; true");
        assertEquals("read me\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("Read-only file system"), r.toString());
        assertFalse(Files.exists(host.resolve("new.txt")));
    }

    @Test
    void bindOfAMissingPathIsAUsageError() {
        Tool.Result r = run("--bind", host.resolve("missing"), Fixtures.simple(), "true");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("does not exist"), r.toString());
        Tool.Result rel = run("--ro-bind", host + ":relative/dst", Fixtures.simple(), "true");
        assertEquals(2, rel.status(), rel.toString());
        assertTrue(rel.stderr().contains("absolute"), rel.toString());
    }

    @Test
    void shareNetShowsTheHostsInterfaces() throws IOException {
        Set<String> hostInterfaces = interfaces(Files.readString(Path.of("/proc/net/dev")));
        Tool.Result shared = run("--share-net", Fixtures.simple(), "cat", "/proc/net/dev");
        assertEquals(0, shared.status(), shared.toString());
        assertEquals(hostInterfaces, interfaces(shared.stdout()), shared.toString());
        Tool.Result isolated = run(Fixtures.simple(), "cat", "/proc/net/dev");
        assertEquals(Set.of("lo"), interfaces(isolated.stdout()), isolated.toString());
        Tool.Result ns = run("--share-net", Fixtures.simple(), "readlink", "/proc/self/ns/net");
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), ns.stdout().trim());
    }

    private static Set<String> interfaces(String procNetDev) {
        Set<String> names = new TreeSet<>();
        procNetDev.lines().skip(2).forEach(l -> names.add(l.substring(0, l.indexOf(':')).trim()));
        return names;
    }

    @Test
    void setenvIsSetAfterEnvVars() {
        Tool.Result r = run("--setenv", "FOO=a b 'c' $d", "--setenv", "HOME=/build/home", Fixtures.simple(),
                "bash", "-c", "printf '%s|%s\\n' \"$FOO\" \"$HOME\"");
        assertEquals("a b 'c' $d|/build/home\n", r.stdout(), r.toString());
        Tool.Result bad = run("--setenv", "1FOO=x", Fixtures.simple(), "true");
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.stderr().contains("not a valid variable name"), bad.toString());
    }

    @Test
    void helpListsOptionsExitStatusesAndAnExample() {
        Tool.Result r = run("--help");
        assertEquals(0, r.status(), r.toString());
        for (String s : new String[] {"Usage: nix-build-shell", "TARGET", "--tmpdir", "--bind", "--ro-bind",
            "--share-net", "--setenv", "--keep-root", "--full-store", "--version", "Exit status:", "111", "112", "113",
            "114", "115", "116", "117", "126", "127", "Examples:"}) {
            assertTrue(r.stdout().contains(s), "--help lacks " + s + "\n" + r);
        }
    }

    @Test
    void versionNamesTheTool() {
        Tool.Result r = run("--version");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().startsWith("nix-build-shell "), r.toString());
    }

    @Test
    void usageErrorIsShortWithStatus2() {
        Tool.Result r = run("--no-such-option", Fixtures.simple(), "true");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("Unknown option: '--no-such-option'"), r.toString());
        assertTrue(r.stderr().contains("--help"), r.toString());
        assertFalse(r.stderr().contains("Exit status:"), "the whole help was printed\n" + r);
        assertTrue(r.stderr().lines().count() <= 3, r.toString());
        assertEquals(2, run().status(), "no TARGET");
    }

    @Test
    void optionsAfterTheCommandGoToTheCommand() {
        Tool.Result r = run(Fixtures.simple(), "bash", "-c", "echo \"$@\"", "bash", "-j4", "--help", "--bind", "x");
        assertEquals("-j4 --help --bind x\n", r.stdout(), r.toString());
    }

    @Test
    void noProgressLineWhenStderrIsNotATerminal() {
        Tool.Result r = run(Fixtures.get("FIXTURE_BIG"), "true");
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("copying") || r.stderr().contains("\r"), r.toString());
    }

    @Test
    void tmpdirOptionChoosesWhereTheCopyGoes() throws IOException {
        Path other = host.resolve("elsewhere");
        Files.createDirectories(other);
        Tool.Result r = run("--tmpdir", other, "--keep-root", Fixtures.simple(), "true");
        assertEquals(0, r.status(), r.toString());
        try (var s = Files.list(other.resolve("nix-build-shell.work"))) {
            List<Path> copies = s.toList(); // the working copy, kept
            assertEquals(1, copies.size(), r.toString());
            assertTrue(Files.isRegularFile(copies.get(0).resolve("root/build/env-vars")), r.toString());
        }
        assertNotEquals(-1, r.stderr().indexOf(other.toString()), "--keep-root says where\n" + r);
    }
}
