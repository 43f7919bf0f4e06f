package org.nixbuildshell.launcher.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe.sh, run here by sh as a builder runs it: which copy of nix-build-shell it finds. */
class ProbeScriptTest {
    @TempDir
    Path tmp;

    private Path checkout;
    private String manifest;

    @BeforeEach
    void aCheckoutOnThePath() throws IOException {
        checkout = tmp.resolve("checkout");
        Files.createDirectories(checkout.resolve("scripts"));
        Files.writeString(checkout.resolve("scripts/nix-build-shell"), "#!/bin/sh\n");
        checkout.resolve("scripts/nix-build-shell").toFile().setExecutable(true); // command -v finds only those
        Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(tmp.resolve("bin/nix-build-shell"), checkout.resolve("scripts/nix-build-shell"));
        manifest = Distribution.sha256("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)) + "  scripts/nix-build-shell\n";
    }

    @Test
    void anInstalledCopyWithTheSameFilesIsUsed() throws Exception {
        List<String> out = probe(manifest, tmp.toString());
        assertTrue(out.contains("use=" + checkout), out.toString());
        assertTrue(out.contains("cache=" + tmp.resolve("cache/nix-build-shell/dist/1.0")), out.toString());
        assertTrue(out.contains("kept=yes"), out.toString());
    }

    @Test
    void anotherVersionIsNot() throws Exception {
        List<String> out = probe(manifest.replaceFirst("^.", "0".equals(manifest.substring(0, 1)) ? "1" : "0"),
                "/nonexistent");
        assertTrue(out.contains("use="), out.toString());
        assertTrue(out.contains("kept=no"), out.toString());
    }

    private List<String> probe(String manifestText, String kept) throws IOException, InterruptedException {
        String script = new String(Scripts.class.getResourceAsStream("probe.sh").readAllBytes(), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script, "probe", "1.0", kept);
        pb.environment().put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(manifestText.getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertEquals(0, p.waitFor());
        return lines;
    }
}
