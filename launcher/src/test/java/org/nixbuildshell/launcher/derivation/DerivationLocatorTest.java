package org.nixbuildshell.launcher.derivation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store and a log directory laid out as Nix lays them out, in a temp dir. */
class DerivationLocatorTest {
    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @TempDir
    Path tmp;
    Path store;
    Path logs;

    @BeforeEach
    void layout() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        logs = Files.createDirectories(tmp.resolve("log/drvs"));
    }

    private Path drv(String hash, String name, String out) throws IOException {
        Path drv = store.resolve(hash + "-" + name + ".drv");
        Files.writeString(drv, "Derive([(\"out\",\"" + out + "\",\"\",\"\")],[],[],\"x86_64-linux\",\"/b\",[],[])");
        return drv;
    }

    private void log(String hash, String name, long mtime) throws IOException {
        Path dir = Files.createDirectories(logs.resolve(hash.substring(0, 2)));
        Path log = dir.resolve(hash.substring(2) + "-" + name + ".drv.bz2");
        Files.write(log, new byte[] {'B', 'Z', 'h'});
        Files.setLastModifiedTime(log, FileTime.fromMillis(mtime));
    }

    @Test
    void nameFromTheKeptDirectory() {
        assertEquals(Optional.of("hello-2.12"), DerivationLocator.nameFromDirectory(Path.of("/tmp/nix-build-hello-2.12.drv-0")));
        assertEquals(Optional.of("hello-2.12"),
                DerivationLocator.nameFromDirectory(Path.of("/tmp/nix-build-hello-2.12.drv-0/build")));
        assertEquals(Optional.of("x"), DerivationLocator.nameFromDirectory(Path.of("/nix/var/nix/builds/nix-build-x.drv-123-4/build")));
        assertEquals(Optional.empty(), DerivationLocator.nameFromDirectory(Path.of("/nix/var/nix/builds/nix-123-abc/build")));
        assertEquals(Optional.empty(), DerivationLocator.nameFromDirectory(Path.of("/tmp/nix-build-x.drv-0/src")));
    }

    @Test
    void theNewestLoggedBuildOfThatName() throws IOException {
        Path older = drv(A, "hello-1.0", "/nix/store/o1-hello");
        Path newer = drv(B, "hello-1.0", "/nix/store/o2-hello");
        log(A, "hello-1.0", 1_000_000);
        log(B, "hello-1.0", 2_000_000);
        DerivationLocator locator = new DerivationLocator(store, logs);
        assertEquals(Optional.of(newer), locator.find("hello-1.0", Map.of()));
        assertEquals(Optional.of(older), locator.find("hello-1.0", Map.of("out", "/nix/store/o1-hello")),
                "known outputs pick the derivation that has them");
        assertEquals(Optional.empty(), locator.find("hello-1.0", Map.of("out", "/nix/store/other")));
    }

    @Test
    void withoutALogOnlyALoneStoreMatchCounts() throws IOException {
        DerivationLocator locator = new DerivationLocator(store, logs);
        Path only = drv(A, "lone", "/nix/store/o-lone");
        assertEquals(Optional.of(only), locator.find("lone", Map.of()));
        drv(B, "lone", "/nix/store/o2-lone");
        assertEquals(Optional.empty(), locator.find("lone", Map.of()), "two candidates and no evidence: no guess");
        assertEquals(Optional.empty(), locator.find("absent", Map.of()));
    }

    @Test
    void aLogWhoseDerivationWasCollectedIsSkipped() throws IOException {
        log(A, "gone", 5_000);
        assertEquals(Optional.empty(), new DerivationLocator(store, logs).find("gone", Map.of()));
    }
}
