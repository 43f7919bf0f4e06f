package org.nixbuildshell.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Real kept build directories, made by scripts/make-fixtures with the local
 * Nix (sandboxed builds that fail on purpose). Read from fixtures.env.
 */
public final class Fixtures {
    private static Map<String, String> values;

    private Fixtures() {}

    public static Path dir() {
        String env = System.getenv("NBS_FIXTURES");
        return Path.of(env != null && !env.isEmpty() ? env : "/var/tmp/nix-build-shell-fixtures");
    }

    /** A value from fixtures.env, e.g. FIXTURE_SIMPLE; fails the test when fixtures are missing. */
    public static synchronized String get(String name) {
        if (values == null) {
            values = load(dir().resolve("fixtures.env"));
        }
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            fail(name + " is not in " + dir().resolve("fixtures.env") + ": run 'sudo scripts/make-fixtures' first");
        }
        return v;
    }

    public static Path simple() {
        return Path.of(get("FIXTURE_SIMPLE"));
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

    private static Map<String, String> load(Path file) {
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
            fail("no fixtures at " + file + " (" + e.getMessage() + "): run 'sudo scripts/make-fixtures' first");
        }
        return map;
    }
}
