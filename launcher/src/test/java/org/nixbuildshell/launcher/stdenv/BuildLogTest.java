package org.nixbuildshell.launcher.stdenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nixbuildshell.launcher.builddir.BuildDir;

class BuildLogTest {
    @TempDir
    Path tmp;

    @Test
    void theLastSetPhaseIsTheFailedOneAndTheTailHasNoNoise() {
        String log = String.join("\n",
                "@nix { \"action\": \"setPhase\", \"phase\": \"unpackPhase\" }",
                "Running phase: unpackPhase",
                "unpacking source archive /nix/store/x.tar.gz",
                "@nix { \"action\": \"setPhase\", \"phase\": \"buildPhase\" }",
                "building",
                "",
                "cc -o hello hello.c",
                "@nix {\"action\":\"setPhase\",\"phase\":\"checkPhase\"}",
                "Running phase: checkPhase",
                "FAIL: answer() returned 41, expected 42\r",
                "make: *** [Makefile:14: check] Error 1", "");
        BuildLog parsed = BuildLog.parse("log", log);
        assertEquals("checkPhase", parsed.failedPhase());
        assertEquals(List.of("unpacking source archive /nix/store/x.tar.gz", "cc -o hello hello.c",
                "FAIL: answer() returned 41, expected 42", "make: *** [Makefile:14: check] Error 1"), parsed.tail());
    }

    @Test
    void theTailIsTheLastFewLines() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            log.append("line ").append(i).append('\n');
        }
        BuildLog parsed = BuildLog.parse("log", log.toString());
        assertNull(parsed.failedPhase());
        assertEquals(BuildLog.TAIL, parsed.tail().size());
        assertEquals("line 99", parsed.tail().get(BuildLog.TAIL - 1));
    }

    @Test
    void theDerivationNameComesFromTheKeptDirectoryOrItsOuterOne() {
        assertEquals("hello-2.12", BuildLogFinder.derivationName(dir("/tmp/nix-build-hello-2.12.drv-0")));
        assertEquals("hello-2.12", BuildLogFinder.derivationName(dir("/tmp/nix-build-hello-2.12.drv-0/build")));
        assertEquals("x.drv-1", BuildLogFinder.derivationName(dir("/nix/var/nix/builds/nix-build-x.drv-1.drv-123-4/build")));
        assertNull(BuildLogFinder.derivationName(dir("/nix/var/nix/builds/nix-123-456/build")));
        assertNull(BuildLogFinder.derivationName(dir("/tmp/kept")));
    }

    @Test
    void theNewestLogOfThatNameIsTaken() throws IOException {
        Path drvs = tmp.resolve("drvs");
        Path old = write(drvs.resolve("ab/cdefghijklmnpqrsvwxyz012345678-hello-2.12.drv.bz2"), 1000);
        Path newer = write(drvs.resolve("zz/cdefghijklmnpqrsvwxyz012345678-hello-2.12.drv"), 2000);
        write(drvs.resolve("zz/bdefghijklmnpqrsvwxyz012345678-xhello-2.12.drv"), 3000);
        write(drvs.resolve("zz/bdefghijklmnpqrsvwxyz012345678-hello-2.12.drv.gz"), 3000);
        assertEquals(newer, BuildLogFinder.newest(drvs, "hello-2.12"));
        Files.delete(newer);
        assertEquals(old, BuildLogFinder.newest(drvs, "hello-2.12"));
        assertEquals("/nix/store/abcdefghijklmnpqrsvwxyz012345678-hello-2.12.drv", BuildLogFinder.drvPath(old));
        assertNull(BuildLogFinder.newest(tmp.resolve("none"), "hello-2.12"));
    }

    private static Path write(Path file, long millis) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
        return file;
    }

    private static BuildDir dir(String top) {
        return new BuildDir(Path.of(top), Path.of(top), Path.of(top, "env-vars"));
    }
}
