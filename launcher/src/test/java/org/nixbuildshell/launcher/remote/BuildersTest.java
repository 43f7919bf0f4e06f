package org.nixbuildshell.launcher.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildersTest {
    @TempDir
    Path tmp;

    @Test
    void aBuilderOfTheListBringsItsKeyAndHostKey() throws IOException {
        Path machines = Files.writeString(tmp.resolve("machines"), """
                # comment
                ssh://root@big x86_64-linux /keys/big 8 2 kvm - c3NoLWVkMjU1MTkgQUFBQQ==
                ssh-ng://nix@small:2222 aarch64-linux - 1
                """);
        Map<String, String> env = Map.of("NIX_CONF_DIR", tmp.toString(), "HOME", tmp.toString(),
                "NIX_CONFIG", "builders = @" + machines);
        assertEquals(new Destination("root@big", null, "/keys/big", "c3NoLWVkMjU1MTkgQUFBQQ=="), Builders.resolve("big", env));
        assertEquals(Builders.resolve("big", env), Builders.resolve("ssh://root@big", env));
        assertEquals(new Destination("nix@small", 2222, null, null), Builders.resolve("small", env));
        // not in the list: an ssh destination as it is
        assertEquals(new Destination("other", null, null, null), Builders.resolve("other", env));
        // ssh://HOST/PATH of a builder: its keys, with the URI's user and port
        assertEquals(new Destination("root@big", 22, "/keys/big", "c3NoLWVkMjU1MTkgQUFBQQ=="),
                Builders.withKeys(new Destination("big", 22, null, null), env));
        assertEquals(new Destination("nix@small", 2222, null, null),
                Builders.withKeys(new Destination("small", null, null, null), env));
        assertEquals(new Destination("alice@big", null, null, null),
                Builders.withKeys(new Destination("alice@big", null, null, null), env));
    }

    @Test
    void theLastSettingWinsAndSemicolonsSeparate() throws IOException {
        Files.writeString(tmp.resolve("nix.conf"), "builders = ssh://a x86_64-linux\n");
        Map<String, String> env = Map.of("NIX_CONF_DIR", tmp.toString(), "HOME", tmp.toString(),
                "NIX_CONFIG", "sandbox = true\nbuilders = ssh://b x86_64-linux /k ; ssh://c");
        assertEquals("ssh://b x86_64-linux /k ; ssh://c", Builders.setting(env));
        assertEquals("/k", Builders.resolve("b", env).identity());
        assertEquals(new Destination("a", null, null, null), Builders.resolve("a", env)); // a is no builder now
    }
}
