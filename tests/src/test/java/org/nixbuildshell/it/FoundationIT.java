package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2: a command runs inside new namespaces, on a copy of a real kept build. */
class FoundationIT {
    @TempDir
    Path tmp;

    private Tool.Result run(Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = Fixtures.simple();
        System.arraycopy(args, 0, all, 1, args.length);
        Tool.Result r = Tool.run(tmp, all);
        assertEquals(List.of(), Tool.leftovers(tmp), "a temp root was left behind\n" + r);
        return r;
    }

    @Test
    void echoPrintsHello() {
        Tool.Result r = run("echo", "hello");
        assertEquals(0, r.status(), r.toString());
        assertEquals("hello\n", r.stdout());
    }

    @Test
    void environmentComesFromEnvVars() {
        Tool.Result r = Tool.run(tmp, java.util.Map.of("HOME", "/root/should-not-leak", "LEAKME", "1"),
                Fixtures.simple(), "bash", "-c", "echo $HOME; echo ${LEAKME-unset}");
        assertEquals("/homeless-shelter\nunset\n", r.stdout(), r.toString());
    }

    @Test
    void exitStatusPassesThrough() {
        assertEquals(7, run("bash", "-c", "exit 7").status());
        assertEquals(0, run("true").status());
    }

    @Test
    void killedBySignalGives128PlusN() {
        assertEquals(128 + 9, run("bash", "-c", "kill -9 $$").status());
    }

    @Test
    void optionsAfterBuildDirBelongToTheCommand() {
        Tool.Result r = run("bash", "-c", "echo \"$@\"", "bash", "-v", "--keep-root");
        assertEquals("-v --keep-root\n", r.stdout(), r.toString());
    }

    @Test
    void everyNamespaceIsNew() throws IOException {
        String[] kinds = {"user", "mnt", "pid", "net", "uts", "ipc"};
        StringBuilder script = new StringBuilder();
        for (String k : kinds) {
            script.append("readlink /proc/self/ns/").append(k).append(";");
        }
        Tool.Result r = run("bash", "-c", script.toString());
        List<String> inside = r.stdout().lines().toList();
        assertEquals(kinds.length, inside.size(), r.toString());
        for (int i = 0; i < kinds.length; i++) {
            String outside = Files.readSymbolicLink(Path.of("/proc/self/ns/" + kinds[i])).toString();
            assertTrue(inside.get(i).startsWith(kinds[i] + ":["), inside.get(i));
            assertNotEquals(outside, inside.get(i), kinds[i] + " namespace is the caller's");
        }
    }

    @Test
    void idsAreTheNixBuildUser() {
        Tool.Result r = run("bash", "-c", "cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g; id -G");
        List<String> lines = r.stdout().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("1000 " + Tool.uid() + " 1", "100 " + Tool.gid() + " 1", "deny", "1000", "100"),
                lines.subList(0, 5), r.toString());
        // An unprivileged caller cannot drop its supplementary groups (setgroups is denied):
        // they stay, unmapped, as the overflow gid 65534. Root has none.
        String[] groups = lines.get(5).split(" ");
        assertEquals("100", groups[0], r.toString());
        for (int i = 1; i < groups.length; i++) {
            assertEquals("65534", groups[i], r.toString());
        }
    }

    @Test
    void utsNames() {
        Tool.Result r = run("bash", "-c", "hostname; domainname; cat /proc/sys/kernel/hostname");
        assertEquals("localhost\n(none)\nlocalhost\n", r.stdout(), r.toString());
    }

    @Test
    void onlyLoopbackWithItsTwoAddresses() {
        Tool.Result r = run("ip", "-j", "addr");
        assertEquals(0, r.status(), r.toString());
        List<String> names = matches(r.stdout(), "\"ifname\":\"([^\"]+)\"");
        List<String> addresses = matches(r.stdout(), "\"local\":\"([^\"]+)\"");
        assertEquals(List.of("lo"), names, r.stdout());
        assertEquals(List.of("127.0.0.1", "::1"), addresses, r.stdout());
        assertTrue(r.stdout().contains("\"UP\""), "lo is not up: " + r.stdout());
    }

    @Test
    void procIsTheSandboxes() {
        assertEquals(0, run("bash", "-c", "[[ -d /proc/$$ ]]").status());
        // a glob is expanded by the shell itself: exactly init and this shell may be listed
        Tool.Result r = run("bash", "-c", "echo /proc/[0-9]*; echo $$");
        List<String> lines = r.stdout().lines().toList();
        assertEquals("/proc/1 /proc/" + lines.get(1), lines.get(0), r.toString());
    }

    @Test
    void keptDirectoryIsNeverModified() {
        String before = TreeChecksum.of(Fixtures.simple());
        Tool.Result r = run("bash", "-c",
                "cd /build && echo changed > env-vars && rm -rf src/subdir && mkdir new && touch -d 2001-01-01 src/Makefile && chmod 777 src");
        assertEquals(0, r.status(), r.toString());
        assertEquals(before, TreeChecksum.of(Fixtures.simple()));
    }

    @Test
    void buildIsAWritableCopyWhereTheFailedPhaseRan() {
        Tool.Result r = run("bash", "-c", "pwd; touch /build/new-file && echo writable; [[ -f /build/env-vars ]] && echo copy");
        assertEquals("/build/src\nwritable\ncopy\n", r.stdout(), r.toString());
    }

    @Test
    void stdenvFunctionsRunAsCommandsAndProgramsDoNotLoadTheSetup() {
        Tool.Result r = run("genericBuild");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("fake-stdenv: buildPhase in /build/src"), r.toString());
        // a program gets env-vars' environment as it is, without the setup's changes
        Tool.Result env = run("env");
        assertEquals(0, env.status(), env.toString());
        assertTrue(!env.stdout().contains("NIX_FAKE_STDENV="), env.toString());
        // but bash -c gets the setup, as nix-shell --run would run it (issue 10)
        assertEquals("1\n", run("bash", "-c", "echo ${NIX_FAKE_STDENV-unset}").stdout());
    }

    @Test
    void structuredAttrsFilesPointInsideTheSandbox() {
        Tool.Result r = Tool.run(tmp, Fixtures.get("FIXTURE_STRUCTURED"), "bash", "-c",
                "echo $NIX_ATTRS_SH_FILE $NIX_ATTRS_JSON_FILE; [ -f $NIX_ATTRS_JSON_FILE ] && echo present");
        assertEquals("/build/.attrs.sh /build/.attrs.json\npresent\n", r.stdout(), r.toString());
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
