package org.nixbuildshell.launcher.nixconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NixPlacesTest {
    @TempDir
    Path tmp;

    @Test
    void buildDirComesFromNixConfInNixConfDir() throws IOException {
        Files.writeString(tmp.resolve("nix.conf"), "# comment\nsandbox = true\nbuild-dir = /srv/builds # ours\n");
        NixPlaces places = NixPlaces.of(Map.of("NIX_CONF_DIR", tmp.toString()));
        assertEquals(List.of(Path.of("/srv/builds"), NixPlaces.DEFAULT_BUILD_DIR, NixPlaces.LIX_BUILD_DIR), places.buildDirs());
    }

    @Test
    void nixConfigOverridesNixConf() throws IOException {
        Files.writeString(tmp.resolve("nix.conf"), "build-dir = /srv/builds\n");
        NixPlaces places = NixPlaces.of(Map.of("NIX_CONF_DIR", tmp.toString(), "NIX_CONFIG", "build-dir = /other\n"));
        assertEquals(Path.of("/other"), places.buildDirs().get(0));
    }

    @Test
    void defaults() {
        NixPlaces places = NixPlaces.of(Map.of("NIX_CONF_DIR", tmp.resolve("none").toString()));
        assertEquals(List.of(NixPlaces.DEFAULT_BUILD_DIR, NixPlaces.LIX_BUILD_DIR), places.buildDirs());
        assertEquals(List.of(Path.of("/tmp")), places.tmpDirs());
        assertEquals(Path.of("/nix/var/log/nix/drvs"), places.logs());
    }

    @Test
    void tmpdirAndLogDirFromTheEnvironment() {
        NixPlaces places = NixPlaces.of(Map.of("NIX_CONF_DIR", tmp.toString(), "TMPDIR", "/run/user/1000",
                "NIX_LOG_DIR", "/var/log/nix"));
        assertEquals(List.of(Path.of("/run/user/1000"), Path.of("/tmp")), places.tmpDirs());
        assertEquals(Path.of("/var/log/nix/drvs"), places.logs());
    }
}
