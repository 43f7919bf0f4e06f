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

    private static Map<String, String> load(Path file) {
        Map<String, String> map = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    String value = line.substring(eq + 1).trim();
                    if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    } else {
                        value = value.replaceAll("\\\\(.)", "$1"); // printf %q's backslash escapes
                    }
                    map.put(line.substring(0, eq).trim().replaceFirst("^export ", ""), value);
                }
            }
        } catch (IOException e) {
            fail("no fixtures at " + file + " (" + e.getMessage() + "): run 'sudo scripts/make-fixtures' first");
        }
        return map;
    }
}
