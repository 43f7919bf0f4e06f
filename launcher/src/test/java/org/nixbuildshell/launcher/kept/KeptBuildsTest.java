package org.nixbuildshell.launcher.kept;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.nixbuildshell.launcher.nixconf.NixPlaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptBuildsTest {
    @TempDir
    Path tmp;

    private Path kept(Path dir, String inner, long mtime) throws IOException {
        Path top = Files.createDirectories(inner.isEmpty() ? dir : dir.resolve(inner));
        Files.writeString(top.resolve("env-vars"), "declare -x x=1\n");
        Files.setLastModifiedTime(top.resolve("env-vars"), FileTime.fromMillis(mtime));
        Files.setLastModifiedTime(top, FileTime.fromMillis(mtime));
        return dir;
    }

    @Test
    void everyLayoutNewestFirstAndNothingElse() throws IOException {
        Path builds = tmp.resolve("builds");
        Path lix = tmp.resolve("b");
        Path temp = tmp.resolve("tmp");
        Path nix232 = kept(builds.resolve("nix-12-34"), "build", 4_000);
        Path nix230 = kept(builds.resolve("nix-build-hello-2.12.drv-12-3"), "build", 3_000);
        Path lixBuild = kept(lix.resolve("x7f2k9"), "b", 5_000);
        Path flat = kept(temp.resolve("nix-build-hello-2.12.drv-0"), "", 1_000);
        Path nix226 = kept(temp.resolve("nix-build-hello-2.12.drv-1"), "build", 2_000);
        Files.createDirectories(builds.resolve("gcroots"));
        kept(temp.resolve("project"), "build", 9_000); // someone's own build/ in /tmp is no kept build
        NixPlaces places = new NixPlaces(List.of(builds, lix), List.of(temp), tmp.resolve("logs"));
        List<Path> found = KeptBuilds.find(places).stream().map(KeptEntry::path).toList();
        assertEquals(List.of(lixBuild, nix232, nix230, nix226, flat), found);
        assertEquals(lixBuild, KeptBuilds.last(places));
    }

    @Test
    void agesAndSizes() throws IOException {
        assertEquals("59s", KeptListing.age(Duration.ofSeconds(59)));
        assertEquals("2m", KeptListing.age(Duration.ofSeconds(150)));
        assertEquals("3h", KeptListing.age(Duration.ofHours(3)));
        assertEquals("2d", KeptListing.age(Duration.ofDays(2)));
        Path dir = Files.createDirectories(tmp.resolve("d/sub"));
        Files.write(dir.resolve("f"), new byte[3000]);
        assertEquals("2.9K", KeptListing.size(tmp.resolve("d")));
    }
}
