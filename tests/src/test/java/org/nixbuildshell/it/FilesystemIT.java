package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: each row of the sandbox table (docs/ARCHITECTURE.md, "Profiles"), checked from inside. */
class FilesystemIT {
    @TempDir
    Path tmp;

    private Tool.Result sh(String script) {
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), "bash", "-c", script);
        assertEquals(List.of(), Tool.leftovers(tmp), "temp root left behind");
        return r;
    }

    private String out(String script) {
        Tool.Result r = sh(script);
        assertEquals(0, r.status(), r.toString());
        return r.stdout();
    }

    @Test
    void rootHoldsOnlyTheSandboxDirectories() {
        assertEquals("bin build dev etc nix proc tmp\n", out("cd / && echo *"));
        assertEquals("directory 750\n", out("stat -c '%F %a' /"));
        assertNotEquals(0, sh("touch /new-file").status(), "/ is writable");
        assertNotEquals(0, sh("mkdir /bin/x").status(), "/bin is writable");
    }

    @Test
    void buildIsTheBuildUsersPrivateCopy() {
        assertEquals("directory 700 1000:100\n", out("stat -c '%F %a %u:%g' /build"));
        assertEquals("ok\n", out("echo x > /build/new && rm /build/new && echo ok"));
    }

    @Test
    void tmpIsWorldWritableAndSticky() {
        assertEquals("directory 1777\n", out("stat -c '%F %a' /tmp"));
        assertEquals("ok\n", out("echo x > /tmp/f && echo ok"));
    }

    @Test
    void etcHoldsExactlyNixsThreeFiles() {
        assertEquals("group hosts passwd\n", out("cd /etc && echo *"));
        assertEquals("root:x:0:\nnixbld:!:100:\nnogroup:x:65534:\n", out("cat /etc/group"));
        assertEquals("root:x:0:0:Nix build user:/build:/noshell\nnixbld:x:1000:100:Nix build user:/build:/noshell\n"
                + "nobody:x:65534:65534:Nobody:/:/noshell\n", out("cat /etc/passwd"));
        assertEquals("127.0.0.1 localhost\n::1 localhost\n", out("cat /etc/hosts"));
        assertNotEquals(0, sh("echo x >> /etc/passwd").status(), "/etc/passwd is writable");
    }

    @Test
    void devHoldsExactlyTheExpectedNodes() {
        String expected = "dev,d,\nfd,l,/proc/self/fd\nfull,c,\n" + (Files.exists(Path.of("/dev/kvm")) ? "kvm,c,\n" : "")
                + "null,c,\nptmx,c,\npts,d,\nrandom,c,\nshm,d,\nstderr,l,/proc/self/fd/2\nstdin,l,/proc/self/fd/0\n"
                + "stdout,l,/proc/self/fd/1\ntty,c,\nurandom,c,\nzero,c,\n";
        assertEquals(expected, out("find /dev -maxdepth 1 -printf '%f,%y,%l\\n' | sort"));
        assertEquals("directory 1777 /dev/shm\n", out("stat -c '%F %a %m' /dev/shm"));
        assertEquals("tmpfs\n", out("stat -f -c %T /dev/shm"));
        assertEquals("devpts\n", out("stat -f -c %T /dev/pts"));
        assertEquals("4\n", out("head -c 4 /dev/urandom | wc -c"));
        assertEquals("ok\n", out("echo x > /dev/null && echo ok"));
        assertNotEquals(0, sh("chmod 600 /dev/null").status(), "a host device node can be chmod'ed");
    }

    /** Nix binds /dev/kvm only when kvm is among the machine's system-features (nix.conf). */
    @Test
    void withoutTheKvmSystemFeatureThereIsNoDevKvm(@TempDir Path conf) throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "this machine has no /dev/kvm to leave out");
        Files.writeString(conf.resolve("nix.conf"), "system-features = benchmark big-parallel nixos-test\n");
        Tool.Result r = Tool.run(tmp, Map.of("NIX_CONF_DIR", conf.toString()), "--new", Fixtures.simple(),
                "sh", "-c", "ls /dev");
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.stdout().lines().anyMatch("kvm"::equals), r.toString());
        assertTrue(r.stdout().lines().anyMatch("null"::equals), r.toString());
    }

    @Test
    void procIsAFreshProcfs() {
        assertEquals("directory 555 proc\n", out("printf '%s ' $(stat -c '%F %a' /proc) && stat -f -c %T /proc"));
    }

    @Test
    void binShIsTheBuildsShell() {
        assertEquals("works\n", out("/bin/sh -c 'echo works'"));
    }

    @Test
    void storeHoldsOnlyTheClosureReadOnlyAndOutCanBeMade() throws IOException {
        // What the real Nix sandbox gave the same build (recorded by the probe inside it)
        List<String> nixStore = Files.readAllLines(Fixtures.simple().resolve("probe.nix.out")).stream()
                .filter(l -> l.startsWith("store.entry: ")).map(l -> l.substring("store.entry: ".length())).sorted().toList();
        assertEquals(String.join(" ", nixStore) + "\n", out("cd /nix/store && echo *"));
        assertEquals("directory 1775\n", out("stat -c '%F %a' /nix/store"));
        String tools = Fixtures.get("STORE_TOOLS");
        assertNotEquals(0, sh("touch " + tools + "/evil").status(), "an input store path is writable");
        assertEquals("ok\n", out("mkdir $out && touch $out/result && echo ok"));
    }

    /**
     * Issue 20: the inputs' mount points are on a tmpfs at /nix/store, so the root on disk gets none
     * (nothing for the launcher to remove): a kept root's nix/store is empty, while inside each input
     * was there, read-only (one mount_setattr for all), and the store itself writable.
     */
    @Test
    void theInputsMountPointsLeaveNothingOnDisk() throws IOException {
        Tool.Result r = Tool.run(tmp, "--new", "--keep-root", Fixtures.simple(), "bash", "-c",
                "grep -c ' /nix/store/[^ ]* ro,' /proc/self/mountinfo; touch /nix/store/new && echo writable");
        assertEquals(0, r.status(), r.toString());
        int inputs = (int) Files.readAllLines(Fixtures.simple().resolve("probe.nix.out")).stream()
                .filter(l -> l.startsWith("store.entry: ")).count();
        assertEquals(inputs + "\nwritable\n", r.stdout(), "each input a read-only mount, the store writable");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("kept the sandbox root at (\\S+)").matcher(r.stderr());
        assertTrue(m.find(), r.toString());
        try (var left = Files.list(Path.of(m.group(1), "nix/store"))) {
            assertEquals(List.of(), left.toList(), "mount points (or the command's file) left on disk");
        }
    }

    /** The same on a kernel without mount_setattr(2) (ENOSYS before 5.12): each input remounted read-only. */
    @Test
    void withoutMountSetattrEachInputIsRemountedReadOnly() throws IOException {
        Tool.Result r = Tool.run(tmp, Map.of("JAVA_TOOL_OPTIONS", "-Dnbs.mount.noSetattr=true"), "-vv", "--new",
                Fixtures.simple(), "bash", "-c",
                "grep -c ' /nix/store/[^ ]* ro,' /proc/self/mountinfo; touch /nix/store/new && echo writable");
        assertEquals(0, r.status(), r.toString());
        int inputs = (int) Files.readAllLines(Fixtures.simple().resolve("probe.nix.out")).stream()
                .filter(l -> l.startsWith("store.entry: ")).count();
        assertEquals(inputs + "\nwritable\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("binds remounted read-only (no mount_setattr)"), r.stderr());
    }

    @Test
    void fullStoreOnRequestAndAsFallback() {
        int hostEntries;
        try (var s = Files.list(Path.of("/nix/store"))) {
            hostEntries = (int) s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Tool.Result full = Tool.run(tmp, "--full-store", Fixtures.simple(), "bash", "-c", "ls -a /nix/store | wc -l");
        assertEquals(hostEntries + 2, Integer.parseInt(full.stdout().trim()), full.toString());
        assertTrue(!full.stderr().contains("mounting the whole"), "--full-store must not warn: " + full.stderr());

        // nix-store cannot reach the store: the whole store, read-only, with a warning that says why
        Tool.Result fallback = Tool.run(tmp, Map.of("NIX_REMOTE", "unix:///nonexistent/socket"), Fixtures.simple(),
                "bash", "-c", "ls -a /nix/store | wc -l; touch /nix/store/x 2>/dev/null || echo read-only");
        assertEquals((hostEntries + 2) + "\nread-only\n", fallback.stdout(), fallback.toString());
        assertTrue(fallback.stderr().contains("mounting the whole /nix/store read-only"), fallback.stderr());
    }

    @Test
    void theCommandHasNoPrivileges() {
        String status = out("grep -E '^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t ' ' '");
        assertEquals("CapInh: 0000000000000000\nCapPrm: 0000000000000000\nCapEff: 0000000000000000\n"
                + "CapAmb: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\n", status);
    }

    @Test
    void nixsSeccompFilter() {
        String s = out("cd /tmp && touch f && for m in u+s g+s 755 u+x; do chmod $m f 2>/dev/null && echo $m ok || echo $m denied; done;"
                // setfattr fails on purpose; bash -c has the stdenv's pipefail, as in nix-shell --run
                + " { setfattr -n user.x -v 1 f 2>&1 || :; } | grep -o 'Operation not supported' | head -1");
        assertEquals("u+s denied\ng+s denied\n755 ok\nu+x ok\nOperation not supported\n", s);
    }

    @Test
    void umaskAndCoreLimit() {
        assertEquals("0022\n0\n", out("umask; ulimit -c"));
    }

    @Test
    void workingDirectoryIsWhereThePhaseRan() {
        assertEquals("/build/src\n", out("pwd"));
        Tool.Result r = Tool.run(tmp, Fixtures.get("FIXTURE_NOSTDENV"), "bash", "-c", "pwd");
        assertEquals("/build\n", r.stdout(), r.toString());
    }

    @Test
    void aPwdThatLeavesBuildStartsInBuild(@TempDir Path work) throws IOException {
        // a build dir of our own (the fixture is not ours to edit), its env-vars saying PWD=/build/..
        Path dir = Files.createDirectories(work.resolve("build-dir/src"));
        String envVars = Files.readString(Fixtures.simple().resolve("env-vars"));
        Files.writeString(dir.resolveSibling("env-vars"),
                envVars.replaceFirst("(?m)^declare -x PWD=.*$", "declare -x PWD=\"/build/..\""));
        Tool.Result r = Tool.run(tmp, dir.getParent(), "bash", "-c", "pwd -P");
        assertEquals("/build\n", r.stdout(), r.toString());
    }

    @Test
    void nothingOfTheHostIsWritableOrVisible() {
        // the host's root, home and /etc are not there at all; only the inputs are in the store
        assertEquals("gone\n", out("ls /root /home /usr /var 2>/dev/null || echo gone"));
        assertEquals("ok\n", out("for d in /build /tmp /dev/shm /nix/store; do touch $d/w.$$ || exit 1; done; echo ok"));
        assertNotEquals(0, sh("touch /proc/w").status());
        assertNotEquals(0, sh("touch /dev/pts/w").status());
    }
}
