package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9: which Nix's sandbox is reproduced, and what -v says about it. */
class ProfilesIT {
    @TempDir
    Path tmp;
    @TempDir
    Path work;

    /** /etc's mode, /bin/sh's size (it is a bind: which file it is), the personality, as the command sees them. */
    private static final String LOOK = "stat -c %a /etc; stat -c %s /bin/sh; read p < /proc/self/personality; echo $p";

    private Tool.Result look(Object dir, String... options) {
        List<Object> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("-v", dir, "bash", "-c", LOOK));
        Tool.Result r = Tool.run(tmp, args.toArray());
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("Exception"), r.toString());
        return r;
    }

    private static String size(String file) throws IOException {
        return Long.toString(Files.size(Path.of(file)));
    }

    @Test
    void theKeptLayoutOfNewerNixWinsOverTheHostsNix() throws IOException {
        Tool.Result r = look(Fixtures.newerNix("FIXTURE_NIX226_OUTER"));
        assertTrue(r.stderr().contains("profile: Nix 2.26's sandbox"), r.toString());
        assertTrue(r.stderr().contains("not by the host's Nix"), r.toString());
        assertTrue(r.stderr().contains("/bin/sh: /usr/bin/bash-static (Nix 2.26's sandbox shell"), r.toString());
        assertEquals(List.of("555", size("/usr/bin/bash-static"), "00040000"), r.stdout().lines().toList(), r.toString());
        r = look(Fixtures.newerNix("FIXTURE_NIX234"));
        assertTrue(r.stderr().contains("profile: Nix 2.34's sandbox"), r.toString());
    }

    @Test
    void theHostsNixDecidesForItsOwnLayout() throws IOException {
        Tool.Result r = look(Fixtures.simple());
        assertTrue(r.stderr().contains("profile: Nix 2.8's sandbox") && r.stderr().contains("the host's Nix is 2.8"),
                r.toString());
        assertEquals(List.of("755", size(Fixtures.get("STORE_BASH")), "00040000"), r.stdout().lines().toList(), r.toString());
    }

    @Test
    void nixVersionOverridesAndAnUnknownVersionGetsTheNearestWithANotice() {
        Tool.Result r = look(Fixtures.newerNix("FIXTURE_NIX226"), "--nix-version", "2.8");
        assertTrue(r.stderr().contains("--nix-version 2.8"), r.toString());
        assertEquals("755", r.stdout().lines().findFirst().orElse(""), r.toString());
        r = Tool.run(tmp, "--nix-version", "2.99", Fixtures.simple(), "true");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("nix-build-shell: warning: Nix 2.99 is newer than any sandbox profile; reproducing Nix 2.35's"),
                r.stderr().lines().filter(l -> l.contains("2.99")).toList(), r.toString());
        r = Tool.run(tmp, "--nix-version", "two", Fixtures.simple(), "true");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("--nix-version two: not a Nix version"), r.toString());
    }

    @Test
    void anI686BuildRunsWithPerLinux32() throws IOException {
        Path dir = work.resolve("build-dir");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("env-vars"), Files.readString(Fixtures.simple().resolve("env-vars"))
                .replace("declare -x system=\"x86_64-linux\"", "declare -x system=\"i686-linux\""));
        Tool.Result r = look(dir);
        assertEquals("00040008", r.stdout().lines().reduce((a, b) -> b).orElse(""), r.toString());
    }
}
