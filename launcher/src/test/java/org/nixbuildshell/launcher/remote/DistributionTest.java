package org.nixbuildshell.launcher.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {
    @TempDir
    Path tmp;

    /** The tar stream unpacks with the system's tar, and sha256sum accepts the manifest. */
    @Test
    void theTarStreamUnpacksAndChecks() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("launcher/target/native/com/sun/jna/linux-x86-64"));
        Files.writeString(root.resolve("scripts/nix-build-shell"), "#!/bin/sh\necho hi\n");
        root.resolve("scripts/nix-build-shell").toFile().setExecutable(true);
        Files.write(root.resolve("launcher/target/native/com/sun/jna/linux-x86-64/libjnidispatch.so"), new byte[1000]);
        List<Path> files = List.of(Path.of("scripts/nix-build-shell"),
                Path.of("launcher/target/native/com/sun/jna/linux-x86-64/libjnidispatch.so"));
        StringBuilder manifest = new StringBuilder();
        for (Path f : files) {
            manifest.append(Distribution.sha256(Files.readAllBytes(root.resolve(f)))).append("  ").append(f).append('\n');
        }
        Distribution d = new Distribution(root, files, manifest.toString());
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        d.writeTar(tar);
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path archive = Files.write(tmp.resolve("a.tar"), tar.toByteArray());
        assertEquals(0, run(out, "tar", "-xf", archive.toString()));
        assertEquals(0, run(out, "sha256sum", "-c", "--status", Distribution.MANIFEST));
        assertTrue(Files.isExecutable(out.resolve("scripts/nix-build-shell")));
    }

    private static int run(Path dir, String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start().waitFor();
    }

    @Test
    void javaVersions() {
        assertEquals(17, new Probe("openjdk version \"17.0.13\" 2024-10-15", "", "", null).javaMajor());
        assertEquals(8, new Probe("java version \"1.8.0_402\"", "", "", null).javaMajor());
        assertEquals(21, new Probe("openjdk version \"21\" 2023-09-19", "", "", null).javaMajor());
        assertEquals(0, new Probe("", "", "", null).javaMajor());
    }
}
