package org.nixbuildshell.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/** The JDKs of this machine, as the entry script (scripts/nix-build-shell) sees them. */
final class Jdks {
    private Jdks() {}

    /** The feature version (25 for 25.0.3) of the JDK a java executable belongs to, from its release file. */
    static int feature(Path java) {
        try {
            Path home = java.toRealPath().getParent().getParent();
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    v = v.startsWith("1.") ? v.substring(2) : v;
                    return Integer.parseInt(v.split("[^0-9]")[0]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One java per feature version 17 or later under /usr/lib/jvm, oldest first. */
    static List<Path> installed() throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/usr/lib/jvm"))) {
            for (Path dir : dirs) {
                Path java = dir.resolve("bin/java");
                if (!Files.isSymbolicLink(dir) && Files.isExecutable(java) && Files.isReadable(dir.resolve("release"))) {
                    int f = feature(java);
                    if (f >= 17) {
                        found.putIfAbsent(f, java);
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** jvm.conf's value of KEY on JDK FEATURE: KEY@N replaces KEY from N on, the highest N winning. */
    static String confValue(Properties conf, String key, int feature) {
        String value = conf.getProperty(key, "");
        int best = -1;
        for (String name : conf.stringPropertyNames()) {
            if (name.startsWith(key + "@")) {
                int from = Integer.parseInt(name.substring(key.length() + 1));
                if (from <= feature && from > best) {
                    best = from;
                    value = conf.getProperty(name);
                }
            }
        }
        return value;
    }
}
