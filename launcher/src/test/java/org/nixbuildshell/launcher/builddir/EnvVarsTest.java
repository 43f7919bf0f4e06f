package org.nixbuildshell.launcher.builddir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nixbuildshell.status.ToolError;

/**
 * Property tests of the env-vars reader, with seeded {@link Random} loops (a
 * failure names its seed, so it can be replayed). Plain JUnit rather than
 * jqwik: the generators are a few lines each, and the test that matters most
 * needs real bash anyway, which a shrinking framework could not drive cheaply.
 */
class EnvVarsTest {
    /** Characters that are hard for a reader of bash's export output. */
    private static final String[] HARD = {
        "\"", "\\", "$", "`", "'", "\n", "\t", "\r", " ", "(", ")", "=", "#", "!", "*", "{", "}", "[", "]",
        "\u0001", "\u001b", "\u007f", "\u0007", "é", "ß", "中文", "😀", "\\n", "$'", "\\\"", "declare -x ",
        "\ndeclare -x SHELL=\"/evil\"\n", "SHELL=", "x", "abc", "/nix/store/", "0"
    };

    @TempDir
    Path tmp;

    @Test
    void randomBytesNeverCrashTheParser() {
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] bytes = new byte[r.nextInt(600)];
            r.nextBytes(bytes);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            parses(text, seed);
            parses(new String(bytes, StandardCharsets.UTF_8), seed);
        }
    }

    @Test
    void randomFragmentsOfTheFormatNeverCrashTheParser() {
        String[] pieces = {"declare ", "-x ", "-ax ", "-A ", "NAME", "=", "\"", "$'", "'", "(", ")", "[0]=", "\\",
            "\\0", "\\x", "\\c", "\n", " ", "SHELL", "PWD", "é", "\u0000", "/nix/store/", "a"};
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder();
            for (int n = r.nextInt(40); n > 0; n--) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            parses(b.toString(), seed);
        }
    }

    @Test
    void randomFilesGiveAToolErrorOrAResultNeverAnotherException() throws IOException {
        Path file = tmp.resolve("env-vars");
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            byte[] bytes = new byte[r.nextInt(300)];
            r.nextBytes(bytes);
            if (r.nextBoolean()) {
                bytes = ("declare -x SHELL=\"/nix/store/x\"\n" + new String(bytes, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            Files.write(file, bytes);
            try {
                EnvVarsFile.read(file);
            } catch (ToolError expected) {
                assertTrue(expected.exitCode() >= 111 && expected.exitCode() <= 115, "seed " + seed);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
    }

    /** Values exported by real bash, in the C locale (as in the Nix sandbox) and in a UTF-8 one. */
    @ParameterizedTest
    @ValueSource(strings = {"C", "C.UTF-8"})
    void valuesExportedByRealBashParseBackExactly(String locale) throws Exception {
        for (long seed = 0; seed < 12; seed++) {
            Random r = new Random(seed * 31 + locale.length());
            Map<String, String> values = new LinkedHashMap<>();
            StringBuilder script = new StringBuilder();
            for (int n = 0; n < 40; n++) {
                String name = "V" + n + "_" + (char) ('a' + r.nextInt(26));
                String value = randomValue(r);
                values.put(name, value);
                script.append("export ").append(name).append('=').append(ansiC(value)).append('\n');
            }
            script.append("declare -ax ARR=(").append(ansiC(randomValue(r))).append(' ')
                    .append(ansiC(randomValue(r))).append(")\n");
            script.append("declare -x NOVALUE\nexport -p\n");
            EnvVars parsed = EnvVars.parse(bash(script.toString(), locale));
            for (Map.Entry<String, String> v : values.entrySet()) {
                assertEquals(v.getValue(), parsed.get(v.getKey()), "seed " + seed + ", locale " + locale + ", " + v.getKey());
            }
            assertNull(parsed.get("ARR"), "arrays are skipped");
            assertTrue(parsed.variables().containsKey("LC_ALL"), "the declarations after the array are read");
        }
    }

    @Test
    void shellAndPwdAreReadWhereverTheyAppear() {
        for (long seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            String shell = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-bash-" + seed + "/bin/bash";
            String pwd = "/build/" + randomValue(r);
            List<String> lines = new ArrayList<>();
            for (int n = r.nextInt(30); n > 0; n--) {
                lines.add(randomDeclaration(r));
            }
            lines.add(r.nextInt(lines.size() + 1), "declare -x SHELL=" + quoteLikeBash(shell, r.nextBoolean()));
            lines.add(r.nextInt(lines.size() + 1), "declare -x PWD=" + quoteLikeBash(pwd, r.nextBoolean()));
            String text = String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
            EnvVars parsed = parses(text, seed);
            assertEquals(shell, parsed.get("SHELL"), "seed " + seed + "\n" + text);
            assertEquals(pwd, parsed.get("PWD"), "seed " + seed + "\n" + text);
            assertTrue(parsed.storePaths().contains(shell.substring(0, shell.indexOf("/bin/"))), "seed " + seed);
        }
    }

    @Test
    void declarationWithoutValueAndArraysDoNotBreakTheRest() {
        String text = "declare -x EMPTY\n"
                + "declare -ax ARR=([0]=\"a\" [1]=\"b)\nc\" [2]=$'x\\')y')\n"
                + "declare -Ax MAP=([\"k\"]=\"declare -x SHELL=nope\" )\n"
                + "declare -x PWD=\"/build/src\"\n"
                + "declare -x SHELL=\"/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin/bash\"\n";
        EnvVars parsed = EnvVars.parse(text);
        assertNull(parsed.get("EMPTY"));
        assertTrue(parsed.variables().keySet().containsAll(List.of("PWD", "SHELL")));
        assertNull(parsed.get("ARR"));
        assertNull(parsed.get("MAP"));
        assertEquals("/build/src", parsed.get("PWD"));
        assertEquals("/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin/bash", parsed.get("SHELL"));
        assertEquals(5, parsed.declarations());
    }

    /** Nix writes .attrs.sh itself: flag-less declare, values single-quoted with '\'' for a quote. */
    @Test
    void nixsAttrsShFormatIsReadAsBashReadsIt() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            Random r = new Random(seed);
            Map<String, String> values = new LinkedHashMap<>();
            StringBuilder attrs = new StringBuilder();
            for (int n = 0; n < 8; n++) {
                String name = "v" + n;
                String value = randomValue(r).replace("\u0000", "");
                values.put(name, value);
                attrs.append("declare ").append(name).append("='").append(value.replace("'", "'\\''")).append("'\n");
            }
            attrs.append("declare -a list=('a' 'b'\\''c' )\ndeclare -A outputs=(['out']='/nix/store/x' )\n");
            EnvVars parsed = EnvVars.parse(attrs.toString());
            StringBuilder script = new StringBuilder(attrs);
            values.keySet().forEach(name -> script.append("printf '%s\\0' \"$").append(name).append("\"\n"));
            String[] fromBash = bash(script.toString(), "C.UTF-8").split("\u0000", -1);
            int i = 0;
            for (Map.Entry<String, String> v : values.entrySet()) {
                assertEquals(fromBash[i++], v.getValue(), "seed " + seed + ": the test's own quoting");
                assertEquals(v.getValue(), parsed.get(v.getKey()), "seed " + seed + ", " + v.getKey() + "\n" + attrs);
            }
            assertNull(parsed.get("list"));
            assertNull(parsed.get("outputs"));
        }
    }

    @Test
    void attrsAddWhatEnvVarsLacks() {
        EnvVars env = EnvVars.parse("declare -x out=\"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-out\"\n");
        EnvVars attrs = EnvVars.parse("declare out='/elsewhere'\n"
                + "declare stdenv='/nix/store/0123456789abcdfghijklmnpqrsvwxyz-stdenv'\n");
        EnvVars both = env.with(attrs).with(EnvVars.storePathsOf("{\"src\":\"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-src.tar.gz\"}"));
        assertEquals("/nix/store/0123456789abcdfghijklmnpqrsvwxyz-out", both.get("out"), "env-vars wins");
        assertEquals("/nix/store/0123456789abcdfghijklmnpqrsvwxyz-stdenv", both.get("stdenv"));
        assertTrue(both.storePaths().contains("/nix/store/0123456789abcdfghijklmnpqrsvwxyz-src.tar.gz"), both.storePaths().toString());
    }

    @Test
    void ansiCEscapesAreBytes() {
        EnvVars parsed = EnvVars.parse("declare -x A=$'\\303\\251\\x41\\cA\\e\\''\ndeclare -x B=$'\\377'\n");
        assertEquals("éA\u0001\u001b'", parsed.get("A"));
        assertEquals("\u00ff", parsed.get("B"), "bytes that are not UTF-8 are kept as Latin-1");
    }

    private static EnvVars parses(String text, long seed) {
        try {
            return EnvVars.parse(text);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("seed " + seed + ": the parser threw " + e, e);
        }
    }

    private static String randomValue(Random r) {
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(12); n > 0; n--) {
            if (r.nextInt(4) == 0) {
                b.appendCodePoint(1 + r.nextInt(r.nextBoolean() ? 127 : 0x2FFF));
            } else {
                b.append(HARD[r.nextInt(HARD.length)]);
            }
        }
        return b.toString();
    }

    private static String randomDeclaration(Random r) {
        String name = "N" + r.nextInt(1000) + (r.nextBoolean() ? "_PWD" : "SHELL_");
        return switch (r.nextInt(5)) {
            case 0 -> "declare -x " + name;
            case 1 -> "declare -ax " + name + "=([0]=" + quoteLikeBash(randomValue(r), false) + " [1]="
                    + quoteLikeBash(randomValue(r), true) + ")";
            case 2 -> "declare -x " + name + "=" + quoteLikeBash(randomValue(r), true);
            default -> "declare -x " + name + "=" + quoteLikeBash(randomValue(r), false);
        };
    }

    /** As bash's export prints a value: "..." with \ " $ ` escaped, or $'...' with octal bytes. */
    private static String quoteLikeBash(String value, boolean ansi) {
        return ansi ? ansiC(value)
                : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`") + '"';
    }

    /** $'...' with every byte of the UTF-8 encoding as an octal escape. */
    private static String ansiC(String value) {
        StringBuilder b = new StringBuilder("$'");
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            b.append('\\').append(Integer.toOctalString((x & 0xff) | 0x200).substring(1));
        }
        return b.append('\'').toString();
    }

    private String bash(String script, String locale) throws Exception {
        Path file = tmp.resolve("script.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", file.toString());
        pb.environment().clear();
        pb.environment().put("LC_ALL", locale);
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.redirectErrorStream(false);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("bash failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
