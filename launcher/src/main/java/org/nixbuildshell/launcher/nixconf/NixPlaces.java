package org.nixbuildshell.launcher.nixconf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where Nix leaves what a failed build leaves behind, as this machine's Nix
 * is set up: the directories kept builds are in and the build-log directory.
 *
 * <ul>
 *   <li>Nix 2.30 and later keep builds in {@code build-dir} (nix.conf, in
 *       {@code $NIX_CONF_DIR} or /etc/nix, or {@code $NIX_CONFIG}), by default
 *       /nix/var/nix/builds; Lix 2.94 and later in /nix/var/nix/b;</li>
 *   <li>older Nix and Lix in the temporary directory ({@code $TMPDIR}, /tmp);</li>
 *   <li>the logs are {@code $NIX_LOG_DIR/drvs} (by default /nix/var/log/nix/drvs).</li>
 * </ul>
 *
 * @param buildDirs where newer Nix and Lix keep builds, the configured one first
 * @param tmpDirs   where older ones did
 * @param logs      the build logs, one file (maybe .bz2) a derivation in a directory per two-letter prefix
 */
public record NixPlaces(List<Path> buildDirs, List<Path> tmpDirs, Path logs) {
    public static final Path DEFAULT_BUILD_DIR = Path.of("/nix/var/nix/builds");
    public static final Path LIX_BUILD_DIR = Path.of("/nix/var/nix/b");

    public static NixPlaces system() {
        return of(System.getenv());
    }

    public static NixPlaces of(Map<String, String> env) {
        Map<String, String> settings = settings(env);
        Set<Path> buildDirs = new LinkedHashSet<>();
        String configured = settings.get("build-dir");
        if (configured != null && configured.startsWith("/")) {
            buildDirs.add(Path.of(configured));
        }
        buildDirs.add(DEFAULT_BUILD_DIR);
        buildDirs.add(LIX_BUILD_DIR);
        Set<Path> tmpDirs = new LinkedHashSet<>();
        String tmpdir = env.get("TMPDIR");
        if (tmpdir != null && tmpdir.startsWith("/")) {
            tmpDirs.add(Path.of(tmpdir));
        }
        tmpDirs.add(Path.of("/tmp"));
        String logDir = env.get("NIX_LOG_DIR");
        Path logs = (logDir != null && logDir.startsWith("/") ? Path.of(logDir) : Path.of("/nix/var/log/nix")).resolve("drvs");
        return new NixPlaces(List.copyOf(buildDirs), List.copyOf(tmpDirs), logs);
    }

    /** Every place a kept build may be, for messages. */
    public List<Path> all() {
        List<Path> all = new ArrayList<>(buildDirs);
        all.addAll(tmpDirs);
        return all;
    }

    /** The machine's nix.conf: {@code $NIX_CONF_DIR/nix.conf}, else /etc/nix/nix.conf. */
    public static Path systemConf(Map<String, String> env) {
        String confDir = env.get("NIX_CONF_DIR");
        return Path.of(confDir != null && !confDir.isEmpty() ? confDir : "/etc/nix", "nix.conf");
    }

    /** nix.conf's settings, then NIX_CONFIG's (which override them), as Nix reads them. */
    static Map<String, String> settings(Map<String, String> env) {
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            parse(Files.readString(systemConf(env)), settings);
        } catch (IOException | RuntimeException e) {
            // no nix.conf, or not readable: Nix's defaults
        }
        String extra = env.get("NIX_CONFIG");
        if (extra != null) {
            parse(extra, settings);
        }
        return settings;
    }

    /** {@code name = value} lines; # starts a comment; include lines are not followed. */
    static void parse(String text, Map<String, String> into) {
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
            int eq = line.indexOf('=');
            if (eq > 0) {
                into.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
    }
}
