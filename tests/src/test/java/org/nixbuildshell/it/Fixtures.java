package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Real kept build directories, made by scripts/make-fixtures with the local
 * Nix (sandboxed builds that fail on purpose). Read from fixtures.env, and
 * from newer-nix.env for those scripts/make-newer-fixtures made with real
 * Nix 2.26 and 2.34.
 */
public final class Fixtures {
    /** The env files read so far, by file name. */
    private static final Map<String, Map<String, String>> FILES = new HashMap<>();

    private Fixtures() {}

    public static Path dir() {
        String env = System.getenv("NBS_FIXTURES");
        return Path.of(env != null && !env.isEmpty() ? env : "/var/tmp/nix-build-shell-fixtures");
    }

    /** A value from fixtures.env, e.g. FIXTURE_SIMPLE; fails the test when fixtures are missing. */
    public static String get(String name) {
        return value("fixtures.env", "make-fixtures", name);
    }

    /** A value from newer-nix.env, e.g. FIXTURE_NIX234; fails the test when those fixtures are missing. */
    public static String newerNix(String name) {
        return value("newer-nix.env", "make-newer-fixtures", name);
    }

    private static synchronized String value(String fileName, String script, String name) {
        Path file = dir().resolve(fileName);
        String hint = ": run 'sudo scripts/" + script + "' first";
        String v = FILES.computeIfAbsent(fileName, f -> load(file, hint)).get(name);
        if (v == null || v.isEmpty()) {
            fail(name + " is not in " + file + hint);
        }
        return v;
    }

    public static Path simple() {
        return Path.of(get("FIXTURE_SIMPLE"));
    }

    private static final java.util.regex.Pattern DECLARE =
            java.util.regex.Pattern.compile("^declare -x ([A-Za-z_][A-Za-z0-9_]*)=\"(.*)\"$");

    /** The value of a {@code declare -x NAME="..."} line of a kept env-vars. */
    public static String exported(Path buildDir, String name) {
        try {
            for (String line : java.nio.file.Files.readAllLines(buildDir.resolve("env-vars"))) {
                java.util.regex.Matcher m = DECLARE.matcher(line);
                if (m.matches() && m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
        } catch (java.io.IOException e) {
            fail("cannot read " + buildDir.resolve("env-vars") + ": " + e);
        }
        return fail(name + " is not in " + buildDir.resolve("env-vars"));
    }

    /**
     * The value of one shell word as make-fixtures writes it (printf %q):
     * backslash escapes, '...' and "..." quoting. E.g. {@code a\ \(b\)} is "a (b)".
     */
    static String shellWord(String word) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else out.append(c);
            } else if (c == '\\' && i + 1 < word.length()
                    && (quote == 0 || "\\\"$`".indexOf(word.charAt(i + 1)) >= 0)) {
                out.append(word.charAt(++i));
            } else if (quote == '"') {
                if (c == '"') quote = 0; else out.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> load(Path file, String hint) {
        Map<String, String> map = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    map.put(line.substring(0, eq).trim().replaceFirst("^export ", ""),
                            shellWord(line.substring(eq + 1).trim()));
                }
            }
        } catch (IOException e) {
            fail("no fixtures at " + file + " (" + e.getMessage() + ")" + hint);
        }
        return map;
    }
}
