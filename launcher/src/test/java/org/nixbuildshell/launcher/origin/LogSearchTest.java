package org.nixbuildshell.launcher.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.derivation.DerivationLocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept directory, a store and a log directory in a temp dir, as Nix 2.32+ leaves them. */
class LogSearchTest {
    private static final long KEPT = 1_700_000_000_000L;
    private static final String HELLO = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh";
    private static final String OTHER = "oooooooooooooooooooooooooooooooo";

    @TempDir
    Path tmp;
    Path store;
    Path logs;
    BuildDir build;

    @BeforeEach
    void layout() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        logs = Files.createDirectories(tmp.resolve("log/drvs"));
        Path top = Files.createDirectories(tmp.resolve("nix-123-456/build"));
        Files.createDirectory(top.resolve("hello-2.12"));
        Files.writeString(top.resolve("env-vars"), "declare -x name=\"x\"\n");
        Files.setLastModifiedTime(top.resolve("env-vars"), FileTime.fromMillis(KEPT));
        Files.setLastModifiedTime(top, FileTime.fromMillis(KEPT));
        build = new BuildDir(top.getParent(), top, top.resolve("env-vars"));
    }

    /** A derivation with a log written {@code after} ms after the directory's time. */
    private Path drv(String hash, String name, String env, long after) throws IOException {
        Path drv = store.resolve(hash + "-" + name + ".drv");
        Files.writeString(drv, "Derive([(\"out\",\"/nix/store/" + hash + "-" + name + "\",\"\",\"\")],[],[],"
                + "\"x86_64-linux\",\"/b\",[],[(\"name\",\"" + name + "\")" + env + "])");
        Path dir = Files.createDirectories(logs.resolve(hash.substring(0, 2)));
        Path log = Files.write(dir.resolve(hash.substring(2) + "-" + name + ".drv.bz2"), new byte[] {'B', 'Z', 'h'});
        Files.setLastModifiedTime(log, FileTime.fromMillis(KEPT + after));
        return drv;
    }

    private LogSearch.Result search() {
        return LogSearch.search(build, new DerivationLocator(store, logs));
    }

    @Test
    void theOneWhoseSourceWasUnpackedThereIsChosen() throws IOException {
        Path hello = drv(HELLO, "hello-2.12", ",(\"src\",\"/nix/store/" + OTHER + "-hello-2.12.tar.gz\")", 5_000);
        drv(OTHER, "other-1.0", ",(\"src\",\"/nix/store/" + OTHER + "-other-1.0.tar.gz\")", 1_000);
        LogSearch.Result r = search();
        assertEquals(2, r.fitting().size());
        assertEquals(Optional.of(hello), r.chosen().map(LogSearch.Candidate::drv));
    }

    @Test
    void logsFarFromTheDirectorysTimeAreNoCandidates() throws IOException {
        drv(HELLO, "hello-2.12", "", -LogSearch.BEFORE.toMillis() - 1_000);
        drv(OTHER, "other-1.0", "", LogSearch.AFTER.toMillis() + 1_000);
        assertTrue(search().candidates().isEmpty());
    }

    @Test
    void structuredAttrsMustMatchTheDirectory() throws IOException {
        drv(HELLO, "hello-2.12", ",(\"__json\",\"{}\")", 1_000);
        LogSearch.Result r = search();
        assertEquals(1, r.candidates().size());
        assertNotNull(r.candidates().get(0).misfit());
        assertTrue(r.chosen().isEmpty());
    }

    @Test
    void severalThatFitEquallyAreNoAnswer() throws IOException {
        drv(HELLO, "one-1.0", "", 1_000);
        drv(OTHER, "two-1.0", "", 2_000);
        LogSearch.Result r = search();
        assertEquals(2, r.fitting().size());
        assertTrue(r.chosen().isEmpty());
    }

    @Test
    void storeNames() {
        assertEquals("hello-2.12.tar.gz", LogSearch.storeName("/nix/store/" + HELLO + "-hello-2.12.tar.gz"));
        assertEquals("source", LogSearch.storeName("/nix/store/" + HELLO + "-source"));
    }
}
