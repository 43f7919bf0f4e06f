package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the store query cannot hang the tool. A fake {@code nix-store}
 * (tests/src/test/resources/fake-nix-store), first on PATH, plays a daemon
 * that never answers or one that floods stderr.
 */
class StoreQueryIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Path tmpdir;
    private Path bin;
    private final Set<Procs.Seen> seen = new LinkedHashSet<>();
    private LifecycleIT.RunningTool tool;

    /** On first use the entry script trains its class-data archives with a run of the tool: not with a fake nix-store. */
    @BeforeAll
    static void trainWithTheRealNixStore(@TempDir Path tmpdir) {
        Tool.Result r = Tool.run(tmpdir, Fixtures.simple(), "true");
        assertEquals(0, r.status(), r.toString());
    }

    @BeforeEach
    void dirs() throws IOException {
        tmpdir = Files.createDirectory(tmp.resolve("tmpdir"));
        bin = Files.createDirectory(tmp.resolve("bin"));
    }

    @AfterEach
    void killLeftovers() {
        if (tool != null) {
            tool.kill();
        }
        Procs.killAll(Procs.running(seen).stream().map(Procs.Seen::pid).toList());
    }

    @Test
    void sigtermEndsAHungQueryAtOnce() throws IOException {
        tool = start("hangs", "true");
        awaitQuery();
        long begin = System.nanoTime();
        Procs.signal(tool.pid(), "TERM");
        assertEquals(143, tool.waitFor(), tool.toString());
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertTrue(millis < 3000, "SIGTERM took " + millis + " ms to end the tool\n" + tool);
        assertEquals(List.of(), Procs.running(seen), "left running after SIGTERM");
        assertEquals(List.of(), Tool.leftovers(tmpdir), "a temp root was left behind");
    }

    @Test
    void aHungQueryTimesOutAndTheWholeStoreIsUsed() throws IOException {
        tool = start("hangs", "bash", "-c", "touch /nix/store/x 2>/dev/null || echo read-only");
        awaitQuery();
        assertEquals(0, tool.waitFor(), tool.toString());
        List<String> warnings = tool.stderr().lines().filter(l -> l.contains("nix-store")).toList();
        assertEquals(1, warnings.size(), "one warning line:\n" + tool);
        assertTrue(warnings.get(0).contains("did not answer within 10 s")
                && warnings.get(0).contains("mounting the whole /nix/store read-only"), tool.toString());
        assertEquals("read-only\n", tool.stdout(), tool.toString());
        assertEquals(List.of(), Procs.running(seen), "the hung query was left running");
        assertEquals(List.of(), Tool.leftovers(tmpdir));
    }

    @Test
    void aQueryThatFillsStderrDoesNotDeadlock() throws IOException {
        tool = start("noisy", "bash", "-c", "ls /nix/store | wc -l");
        assertEquals(0, tool.waitFor(), tool.toString());
        assertTrue(Files.exists(bin.resolve("noisy-ran")), "the fake nix-store was not used");
        assertFalse(tool.stderr().contains("mounting the whole"), "the query should have succeeded:\n" + tool);
        long inputs = Long.parseLong(tool.stdout().trim());
        long host;
        try (var s = Files.list(Path.of("/nix/store"))) {
            host = s.count();
        }
        assertTrue(inputs > 0 && inputs < host, "only the closure is mounted: " + inputs + " of " + host);
    }

    /** The tool with the fake nix-store {@code name} first on PATH. */
    private LifecycleIT.RunningTool start(String name, Object... command) throws IOException {
        Path fake = bin.resolve("nix-store");
        try (InputStream in = StoreQueryIT.class.getResourceAsStream("/fake-nix-store/" + name)) {
            Files.copy(in, fake);
        }
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Object[] args = new Object[command.length + 1];
        args[0] = Fixtures.simple();
        System.arraycopy(command, 0, args, 1, command.length);
        return new LifecycleIT.RunningTool(tmpdir, Map.of("PATH", bin + ":" + System.getenv("PATH")), args);
    }

    /** Wait for the fake's sleep, then note every process the launcher has started (init, nix-store, its sleep). */
    private void awaitQuery() {
        assertTrue(Procs.waitUntil(START, () -> Procs.descendants(tool.pid()).stream()
                .anyMatch(p -> p.cmdline().startsWith("sleep\0" + "1000\0"))), "the fake nix-store never ran\n" + tool);
        seen.addAll(Procs.descendants(tool.pid()));
        assertTrue(seen.stream().anyMatch(p -> p.cmdline().contains(bin + "/nix-store")), seen.toString());
        assertTrue(seen.stream().anyMatch(p -> p.cmdline().contains("org.nixbuildshell.init.InitMain")),
                "init starts before the query: " + seen);
    }
}
