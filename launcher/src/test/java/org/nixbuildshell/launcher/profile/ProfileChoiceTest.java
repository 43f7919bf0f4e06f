package org.nixbuildshell.launcher.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.launcher.builddir.BuildDir;

class ProfileChoiceTest {
    private static final HostNix.Answer HOST_28 = new HostNix.Answer(NixVersion.of("2.8.0"), null);
    private static final HostNix.Answer NO_NIX = new HostNix.Answer(null, "nix-store is not on PATH");

    private static KeptLayout layout(String top) {
        Path p = Path.of(top);
        return KeptLayout.of(new BuildDir(p, p, p.resolve("env-vars")));
    }

    private static String profile(String override, HostNix.Answer host, String top) {
        return ProfileChoice.choose(override == null ? null : NixVersion.of(override), host, layout(top)).profile().name();
    }

    @Test
    void theLayoutSaysWhichNixesCanHaveKeptIt() {
        assertEquals(new KeptLayout(null, NixVersion.of("2.23"), "nix-build-x.drv-0 without an inner build/"),
                layout("/tmp/nix-build-x.drv-0"));
        assertEquals(NixVersion.of("2.23.1"), layout("/tmp/nix-build-x.drv-0/build").from());
        assertEquals(NixVersion.of("2.31"), layout("/nix/var/nix/builds/nix-build-x.drv-123-4/build").until());
        assertEquals(NixVersion.of("2.32"), layout("/nix/var/nix/builds/nix-932-1203392483/build").from());
        assertEquals(NixVersion.of("2.18"), layout("/nix/var/nix/b/abc/b").from());
        assertNull(layout("/home/me/copy-of-a-build"));
    }

    @Test
    void theHostsNixWhenTheLayoutAdmitsIt() {
        assertEquals("2.8", profile(null, HOST_28, "/tmp/nix-build-x.drv-0"));
        assertEquals("2.8", profile(null, HOST_28, "/home/me/renamed"));
        assertEquals("2.26", profile(null, new HostNix.Answer(NixVersion.of("2.18.1"), null), "/tmp/nix-build-x.drv-0"));
        assertEquals("2.34", profile(null, new HostNix.Answer(NixVersion.of("2.34.8"), null), "/x/nix-1-2/build"));
    }

    @Test
    void theLayoutWinsWhenTheyDisagree() {
        // the fixtures of Nix 2.26 and 2.34 on this host's Nix 2.8
        ProfileChoice c = ProfileChoice.choose(null, HOST_28, layout("/var/tmp/f/nix-build-nbs-simple.drv-0/build"));
        assertEquals("2.26", c.profile().name());
        assertEquals(NixVersion.of("2.23.1"), c.version());
        assertTrue(c.reason().contains("not by the host's Nix 2.8"), c.reason());
        assertEquals("2.34", profile(null, HOST_28, "/var/tmp/f/nix-932-1203392483/build"));
        // a newer host on an old flat directory: the newest version that kept them flat
        assertEquals("2.26", profile(null, new HostNix.Answer(NixVersion.of("2.34.8"), null), "/tmp/nix-build-x.drv-0"));
    }

    @Test
    void theOverrideWinsOverEverything() {
        assertEquals("2.8", profile("2.8", HOST_28, "/x/nix-1-2/build"));
        assertEquals("2.26", profile("2.15", null, "/x/nix-1-2/build"));
        assertEquals("2.8", profile("2.14", null, "/x"));
    }

    @Test
    void unknownVersionsGetTheNearestProfileAndANotice() {
        ProfileChoice newer = ProfileChoice.choose(NixVersion.of("2.40"), null, null);
        assertEquals("2.35", newer.profile().name());
        assertTrue(newer.notice().contains("newer than any sandbox profile"), newer.notice());
        ProfileChoice older = ProfileChoice.choose(NixVersion.of("2.3"), null, null);
        assertEquals("2.8", older.profile().name());
        assertTrue(older.notice().contains("older"), older.notice());
        assertNull(ProfileChoice.choose(NixVersion.of("2.26.3"), null, null).notice());
    }

    @Test
    void withoutTheHostsNixTheLayoutDecides() {
        assertEquals("2.8", profile(null, NO_NIX, "/tmp/nix-build-x.drv-0"));
        assertEquals("2.26", profile(null, NO_NIX, "/tmp/nix-build-x.drv-0/build"));
        assertEquals("2.34", profile(null, NO_NIX, "/x/nix-1-2/build"));
    }
}
