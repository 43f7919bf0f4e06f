package org.nixbuildshell.launcher.derivation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The derivations and files here were written by Nix 2.8 (scripts/make-fixtures):
 * what we compute must be what Nix gave the builder.
 */
class DerivationTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = DerivationTest.class.getResourceAsStream("/derivation/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesARealDerivation() throws IOException {
        Derivation drv = DerivationParser.parse(resource("simple.drv"));
        assertEquals(Map.of("out", "/nix/store/s7wxdnddpcfr7l67280q2bzlizpa8kp1-nbs-simple"), drv.outputs());
        assertEquals(5, drv.inputSrcs().size());
        assertEquals("x86_64-linux", drv.system());
        assertEquals("/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin/bash", drv.builder());
        assertEquals("-e", drv.args().get(0));
        assertTrue(drv.args().get(2).contains("printf 'all:\\n\\t@echo building\\n\\tfalse\\n' >Makefile\n"),
                "escapes: \\\\ must stay a backslash, \\n a newline");
        assertEquals("nbs-simple", drv.name());
        assertFalse(drv.structuredAttrs());
        assertFalse(drv.fixedOutput());
    }

    @Test
    void inputDerivationsAndHashes() {
        Derivation drv = DerivationParser.parse("Derive([(\"out\",\"/nix/store/a-x\",\"sha256\",\"abc\")],"
                + "[(\"/nix/store/b-y.drv\",[\"dev\",\"out\"])],[],\"x86_64-linux\",\"/b\",[],"
                + "[(\"outputHash\",\"abc\"),(\"q\",\"say \\\"hi\\\"\")])");
        assertEquals(Map.of("/nix/store/b-y.drv", Set.of("dev", "out")), drv.inputDrvs());
        assertEquals("say \"hi\"", drv.env().get("q"));
        assertTrue(drv.fixedOutput());
    }

    @Test
    void refusesWhatIsNoDerivation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DerivationParser.parse("Derive([(\"out\",\"/x\""));
        assertTrue(e.getMessage().startsWith("not a Nix derivation: expected"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DerivationParser.parse("hello"));
        assertThrows(IllegalArgumentException.class, () -> DerivationParser.parse("DrvWithVersion(\"x\",[])"));
    }

    @Test
    void environmentOfAPlainDerivationIsNixs() throws IOException {
        BuilderEnvironment env = BuilderEnvironment.of(DerivationParser.parse(resource("simple.drv")), 2);
        Map<String, String> v = env.variables();
        assertTrue(v.get("PATH").startsWith("/nix/store/"), "the derivation's PATH wins over the base one");
        assertEquals("/homeless-shelter", v.get("HOME"));
        assertEquals("/build", v.get("NIX_BUILD_TOP"));
        for (String tmp : List.of("TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD")) {
            assertEquals("/build", v.get(tmp), tmp);
        }
        assertEquals("2", v.get("NIX_BUILD_CORES"));
        assertEquals("2", v.get("NIX_LOG_FD"));
        assertEquals("xterm-256color", v.get("TERM"));
        assertEquals("/nix/store", v.get("NIX_STORE"));
        assertEquals("nbs-simple", v.get("name"));
        assertEquals("/nix/store/s7wxdnddpcfr7l67280q2bzlizpa8kp1-nbs-simple", v.get("out"));
        assertEquals(Map.of(), env.files());
    }

    @Test
    void passAsFileWritesTheValueToAHashedName() {
        Derivation drv = DerivationParser.parse("Derive([(\"out\",\"/nix/store/a-x\",\"\",\"\")],[],[],\"x86_64-linux\","
                + "\"/b\",[],[(\"passAsFile\",\"text\"),(\"text\",\"hello\")])");
        BuilderEnvironment env = BuilderEnvironment.of(drv, 1);
        // nix-hash --type sha256 --to-base32 $(printf text | sha256sum)
        String file = ".attr-1lf969yddshzhld7sr1vbagr07bnygg99lgl6gk5kxcnp4z9wbcq";
        assertEquals(Map.of(file, "hello"), env.files());
        assertEquals("/build/" + file, env.variables().get("textPath"));
        assertFalse(env.variables().containsKey("text"));
    }

    @Test
    void structuredAttrsGiveTheFilesNixWrote() throws IOException {
        Derivation drv = DerivationParser.parse(resource("structured.drv"));
        assertTrue(drv.structuredAttrs());
        assertEquals("nbs-structured", drv.name());
        BuilderEnvironment env = BuilderEnvironment.of(drv, 2);
        assertEquals(resource("structured.attrs.sh"), env.files().get(".attrs.sh"));
        assertEquals(resource("structured.attrs.json"), env.files().get(".attrs.json"));
        assertEquals("/build/.attrs.sh", env.variables().get("NIX_ATTRS_SH_FILE"));
        assertFalse(env.variables().containsKey("out"), "with structured attrs, no attribute is a variable");
        assertFalse(env.variables().containsKey("__json"));
    }

    @Test
    void structuredAttrsShellForms() {
        String sh = BuilderEnvironment.shellDeclarations(Json.parseObject(
                "{\"b\":true,\"f\":false,\"n\":3,\"x\":1.5,\"nul\":null,\"l\":[\"a\",\"it's\"],\"m\":{\"k\":2},"
                        + "\"deep\":[[1]],\"bad-name\":\"x\"}"));
        assertEquals("declare b=1\ndeclare f=\ndeclare -a l=('a' 'it'\\''s' )\ndeclare -A m=(['k']=2 )\n"
                + "declare n=3\ndeclare nul=''\n", sh);
    }
}
