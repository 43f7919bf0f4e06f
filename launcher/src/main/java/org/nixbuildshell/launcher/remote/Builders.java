package org.nixbuildshell.launcher.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Nix's list of remote builders, for {@code --on HOST}: the {@code builders}
 * setting (from nix.conf, the user's nix.conf, then {@code NIX_CONFIG}, the
 * last one winning, as in Nix), whose {@code @FILE} entries and default
 * ({@code @/etc/nix/machines}) name machines files. A machine line is
 * {@code URI SYSTEMS SSH-KEY MAX-JOBS SPEED FEATURES MANDATORY HOST-KEY}, "-"
 * for an empty field; entries are separated by newlines or ';'.
 */
public final class Builders {
    private static final String DEFAULT = "@/etc/nix/machines";

    private Builders() {}

    /** HOST's entry as a destination: by URI, URI without scheme, or host name; else HOST as ssh takes it. */
    static Destination resolve(String name, Map<String, String> env) {
        for (String entry : entries(setting(env), 0)) {
            String[] fields = entry.trim().split("\\s+");
            String uri = fields[0];
            String authority = RemoteTarget.stripScheme(uri);
            if (authority == null) {
                authority = uri; // Nix accepts a bare host too
            }
            Destination d = Destination.parse(authority);
            if (name.equals(uri) || name.equals(authority) || name.equals(d.host()) || name.equals(d.userHost())) {
                return d.withBuilderEntry(field(fields, 2), field(fields, 7));
            }
        }
        String authority = RemoteTarget.stripScheme(name);
        return Destination.parse(authority == null ? name : authority);
    }

    /**
     * {@code ssh://[USER@]HOST[:PORT]/...} of a builder of the list: its entry's key and host key, and
     * its user and port unless the URI gives them; anything else as it is.
     */
    static Destination withKeys(Destination given, Map<String, String> env) {
        for (String entry : entries(setting(env), 0)) {
            String[] fields = entry.trim().split("\\s+");
            String authority = RemoteTarget.stripScheme(fields[0]);
            Destination d = Destination.parse(authority == null ? fields[0] : authority);
            boolean sameUser = !given.userHost().contains("@") || given.userHost().equals(d.userHost());
            if (d.host().equals(given.host()) && sameUser) {
                return new Destination(given.userHost().contains("@") ? given.userHost() : d.userHost(),
                        given.port() != null ? given.port() : d.port(), field(fields, 2), field(fields, 7));
            }
        }
        return given;
    }

    private static String field(String[] fields, int index) {
        return fields.length > index && !fields[index].equals("-") && !fields[index].isEmpty() ? fields[index] : null;
    }

    /** The value of {@code builders} after every configuration source. */
    static String setting(Map<String, String> env) {
        String value = DEFAULT;
        String confDir = env.getOrDefault("NIX_CONF_DIR", "/etc/nix");
        List<String> texts = new ArrayList<>();
        texts.add(read(Path.of(confDir, "nix.conf")));
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        if (xdg != null && !xdg.isEmpty()) {
            texts.add(read(Path.of(xdg, "nix", "nix.conf")));
        } else if (home != null) {
            texts.add(read(Path.of(home, ".config", "nix", "nix.conf")));
        }
        texts.add(env.getOrDefault("NIX_CONFIG", ""));
        for (String text : texts) {
            for (String line : text.split("\n")) {
                String l = line.replaceFirst("#.*", "").trim();
                if (l.matches("builders\\s*=.*")) {
                    value = l.substring(l.indexOf('=') + 1).trim();
                }
            }
        }
        return value;
    }

    /** The machine entries of a builders value, following @FILE (not too deep). */
    private static List<String> entries(String value, int depth) {
        List<String> out = new ArrayList<>();
        for (String entry : value.split("[;\n]")) {
            String e = entry.replaceFirst("#.*", "").trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.startsWith("@")) {
                if (depth < 4) {
                    out.addAll(entries(read(Path.of(e.substring(1))), depth + 1));
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
