package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5: every failure is one clear message with its documented status, no
 * Java stack trace, and nothing left in the temp directory. Bad inputs are
 * made from copies of real kept builds.
 */
class ErrorsIT {
    private static final String MISSING_BASH = "/nix/store/00000000000000000000000000000000-bash/bin/bash";

    @TempDir
    Path tmp;
    @TempDir
    Path work;

    private Path dir;

    /** A fresh copy of the simple fixture's env-vars in a build dir of our own. */
    @BeforeEach
    void copyFixture() throws IOException {
        dir = work.resolve("build-dir");
        Files.createDirectories(dir.resolve("src"));
        Files.copy(Fixtures.simple().resolve("env-vars"), dir.resolve("env-vars"));
        Files.writeString(dir.resolve("src/hello.txt"), "hello\n");
    }

    private Tool.Result expect(int status, String mentions, Object... args) {
        Tool.Result r = Tool.run(tmp, args);
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.stderr().contains(mentions), "the message should mention '" + mentions + "'\n" + r);
        assertClean(r);
        return r;
    }

    private void assertClean(Tool.Result r) {
        assertFalse(r.stderr().contains("Exception"), "a Java exception in the message\n" + r);
        assertFalse(r.stderr().contains("\tat org.") || r.stderr().contains("at java."), "a stack trace\n" + r);
        assertEquals(List.of(), Tool.leftovers(tmp), "a temp root was left behind\n" + r);
    }

    private String envVars() throws IOException {
        return Files.readString(dir.resolve("env-vars"));
    }

    private void writeEnvVars(String text) throws IOException {
        Files.writeString(dir.resolve("env-vars"), text);
    }

    private String withoutLines(String text, String start) {
        return text.lines().filter(l -> !l.startsWith(start)).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void buildDirMissing() {
        Tool.Result r = expect(111, "does not exist", work.resolve("no-such-dir"), "true");
        assertTrue(r.stderr().lines().count() <= 2, r.toString());
    }

    @Test
    void buildDirIsAFile() {
        expect(111, "is not a directory", dir.resolve("env-vars"), "true");
    }

    @Test
    void noEnvVars() throws IOException {
        Files.delete(dir.resolve("env-vars"));
        expect(112, "env-vars", dir, "true");
    }

    @Test
    void binaryEnvVars() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(5).nextBytes(garbage);
        garbage[10] = 0;
        Files.write(dir.resolve("env-vars"), garbage);
        expect(113, "binary", dir, "true");
    }

    @Test
    void envVarsThatAreNotExportOutput() throws IOException {
        writeEnvVars("this is not what bash's export prints\nPATH=/bin\n");
        expect(113, "declare -x", dir, "true");
    }

    @Test
    void truncatedEnvVarsBeforeTheShellLine() throws IOException {
        String text = envVars();
        writeEnvVars(text.substring(0, text.indexOf("declare -x SHELL=") - 7));
        expect(114, "SHELL", dir, "true");
    }

    @Test
    void noShellLine() throws IOException {
        writeEnvVars(withoutLines(envVars(), "declare -x SHELL="));
        expect(114, "sets no SHELL", dir, "true");
    }

    @Test
    void anotherArchitectureIsRefusedInOneLine() {
        // Java reports the machine as os.arch; the tool must refuse before its first (x86_64) system call
        Tool.Result r = Tool.run(tmp, Map.of("JAVA_TOOL_OPTIONS", "-Dos.arch=aarch64", "NBS_CDS", "off"), dir, "true");
        assertEquals(110, r.status(), r.toString());
        assertEquals(List.of("nix-build-shell: error: this machine is aarch64, but nix-build-shell runs only on x86_64 Linux"
                        + " (it makes x86_64 system calls)"),
                r.stderr().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList(), r.toString());
        assertClean(r);
    }

    @Test
    void shellNotInTheStore() throws IOException {
        writeEnvVars(withoutLines(envVars(), "declare -x SHELL=") + "declare -x SHELL=\"" + MISSING_BASH + "\"\n");
        Tool.Result r = expect(115, MISSING_BASH, dir, "true");
        assertTrue(r.stderr().contains("not in the Nix store"), r.toString());
    }

    @Test
    void commandNotFoundInside() {
        Tool.Result r = expect(127, "no-such-command", dir, "no-such-command", "arg");
        assertTrue(r.stderr().contains("not found"), r.toString());
        Tool.Result path = expect(127, "/build/missing", dir, "/build/missing");
        assertTrue(path.stderr().contains("no such file"), path.toString());
    }

    @Test
    void commandNotExecutable() {
        Tool.Result r = expect(126, "/build/src/hello.txt", dir, "/build/src/hello.txt");
        assertTrue(r.stderr().contains("not executable"), r.toString());
        assertEquals(1, r.stderr().lines().count(), "one line\n" + r);
    }

    /**
     * docs/ARCHITECTURE.md ("Facts the tests rely on"): in a user namespace of our own, user.max_user_namespaces
     * can be set to 0 for that namespace; the tool's clone then fails with ENOSPC.
     */
    @Test
    void userNamespacesUnavailable() throws Exception {
        Tool.Result r = runInOwnUserNamespace(
                "echo 0 > /proc/sys/user/max_user_namespaces || exit 99; exec \"$@\"",
                Tool.SCRIPT.toString(), dir.toString(), "true");
        assumeTrue(r.status() != 99, "cannot write max_user_namespaces in a user namespace here\n" + r);
        assertEquals(116, r.status(), r.toString());
        for (String sysctl : new String[] {"user.max_user_namespaces", "kernel.unprivileged_userns_clone",
            "kernel.apparmor_restrict_unprivileged_userns", "sysctl -w"}) {
            assertTrue(r.stderr().contains(sysctl), "the message should name " + sysctl + "\n" + r);
        }
        assertClean(r);
    }

    /** A tmpfs too small for the copy, mounted in a mount namespace of our own (works unprivileged too). */
    @Test
    void notEnoughSpace() throws Exception {
        Path small = work.resolve("small");
        Files.createDirectories(small);
        Path big = Path.of(Fixtures.get("FIXTURE_BIG"));
        Tool.Result r = runInOwnUserNamespace(
                "mount -t tmpfs -o size=1m tmpfs \"$1\" || exit 99; dir=$1; shift\n"
                        + "\"$@\"; rc=$?; echo \"left: $(ls -A \"$dir\")\"; exit $rc",
                small.toString(), Tool.SCRIPT.toString(), "--tmpdir", small.toString(), big.toString(), "true");
        assumeTrue(r.status() != 99, "cannot mount a tmpfs in a user namespace here\n" + r);
        assertEquals(117, r.status(), r.toString());
        assertTrue(r.stderr().contains("not enough space"), r.toString());
        assertTrue(r.stderr().contains("--tmpdir"), r.toString());
        assertTrue(r.stderr().matches("(?s).*needs about [0-9.]+ (B|KiB|MiB|GiB).*"), "how much is needed\n" + r);
        assertTrue(r.stdout().contains("left: \n"), "the temp root was left in the small tmpfs\n" + r);
        assertClean(r);
    }

    /**
     * Issue 14: a disk too full for even the root's small files. 4 KiB is one tmpfs page:
     * the owner file takes it, so the copy's check of the free space (or, with --keep-root, the
     * kept mark) finds no room.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fullDiskBeforeTheCopy(boolean keepRoot) throws Exception {
        Path tiny = work.resolve("tiny");
        Files.createDirectories(tiny);
        List<String> args = new ArrayList<>(List.of(tiny.toString(), Tool.SCRIPT.toString()));
        if (keepRoot) {
            // a throw-away root (--new), whose --keep-root mark is the first write to meet the full disk
            args.addAll(List.of("--new", "--keep-root"));
        }
        args.addAll(List.of("--tmpdir", tiny.toString(), dir.toString(), "true"));
        Tool.Result r = runInOwnUserNamespace(
                "mount -t tmpfs -o size=4k tmpfs \"$1\" || exit 99; dir=$1; shift\n"
                        + "\"$@\"; rc=$?; echo \"left: $(ls -A \"$dir\")\"; exit $rc",
                args.toArray(String[]::new));
        assumeTrue(r.status() != 99, "cannot mount a tmpfs in a user namespace here\n" + r);
        assertEquals(117, r.status(), r.toString());
        assertTrue(r.stderr().contains(keepRoot ? "ENOSPC (No space left on device)" : "0 B are free"), r.toString());
        assertTrue(r.stderr().contains("--tmpdir"), r.toString());
        assertTrue(r.stdout().contains("left: \n"), "the temp root was left in the full tmpfs\n" + r);
        assertClean(r);
    }

    /**
     * Issue 14: a cloned child that never execs (the watchdog's case) has its own status and
     * message, whether it is init (the launcher's clone) or the command (init's clone). A
     * timeout of 0 ms makes every child count as hung; each retry is logged at -v.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nbs.cloneTimeoutMillis", "nbs.initCloneTimeoutMillis"})
    void aHungCloneChildIsNotCommandNotFound(String property) {
        Tool.Result r = Tool.run(tmp, Map.of("JAVA_TOOL_OPTIONS", "-D" + property + "=0"), "-v", dir, "true");
        assertEquals(120, r.status(), r.toString());
        assertTrue(r.stderr().contains("hung before exec 4 times"), r.toString());
        assertTrue(r.stderr().contains("overloaded"), r.toString());
        // 3 retries of the clone that gave up; with the launcher's knob, init's own clone may have needed some too
        assertTrue(r.stderr().lines().filter(l -> l.contains("clone: child hung, retrying")).count() >= 3, r.toString());
        assertClean(r);
    }

    /** Issue 14: a mount point init cannot make is a failed call with its errno, like every other. */
    @Test
    void aMountPointThatCannotBeMadeNamesTheCallAndErrno() {
        // /etc/passwd is a file in the new root: no directory can be made under it
        Tool.Result r = expect(118, "mkdir(", "--bind", "/etc/hostname:/etc/passwd/x", dir, "true");
        assertTrue(r.stderr().matches("(?s).*mkdir\\(/\\S*/etc/passwd\\): EEXIST \\(File exists\\).*"), r.toString());
    }

    /** The real fixture: src/private-0600 belongs to nixbld1, which an ordinary user cannot read. */
    @Test
    void unreadableFilesAreListedAndTheCopyGoesOn() throws IOException {
        assumeTrue(Tool.uid() != 0, "root reads every file (rootCopiesEvenAModeZeroFile)");
        Tool.Result r = Tool.run(tmp, Fixtures.simple(), "cat", "/build/src/subdir/hello.txt");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stderr().contains("could not be read") && r.stderr().contains("private-0600"), r.toString());
        assertClean(r);
    }

    /** As root every file is readable: make one unreadable, and check that root's copy has it. */
    @Test
    void rootCopiesEvenAModeZeroFile() throws IOException {
        assumeTrue(Tool.uid() == 0, "an ordinary user cannot read it (unreadableFilesAreListedAndTheCopyGoesOn)");
        Path secret = dir.resolve("src/secret");
        Files.writeString(secret, "secret\n");
        Files.setPosixFilePermissions(secret, java.util.Set.of());
        Tool.Result r = Tool.run(tmp, dir, "test", "-e", "/build/src/secret");
        assertEquals(0, r.status(), "root copies a mode-000 file\n" + r);
        assertFalse(r.stderr().contains("could not be read"), r.toString());
        assertClean(r);
    }

    private Tool.Result runInOwnUserNamespace(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("XDG_CACHE_HOME", Tool.cacheFor(tmp).toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        var err = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // gone
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        t.join();
        Tool.Result r = new Tool.Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        assumeTrue(!r.stderr().startsWith("unshare:"), "unshare --user is not allowed here\n" + r);
        return r;
    }

}
