package org.nixbuildshell.launcher.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ssh round trip before the run (probe.sh): the builder's java, where a
 * copy of this very nix-build-shell is there (checked file by file against
 * our manifest), where the cache copy goes, and whether the kept path exists.
 */
record Probe(String java, String cache, String use, Boolean keptExists) {
    /** The first line of java -version: {@code openjdk version "17.0.13" ...}, or {@code "1.8.0_402"}. */
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
    static final int MIN_JAVA = 17;

    static Probe run(Ssh ssh, String version, Distribution dist, String keptPath) throws IOException, InterruptedException {
        String command = Scripts.command("probe", List.of(version, keptPath == null ? "" : keptPath));
        Ssh.Result r = ssh.capture(command, in -> in.write(dist.manifest().getBytes(StandardCharsets.UTF_8)));
        if (r.status() != 0) {
            throw SshFailure.of(ssh.destination(), "probe", r);
        }
        Map<String, String> facts = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!facts.containsKey("cache")) {
            throw SshFailure.unexpected(ssh.destination(), "probe", r);
        }
        String kept = facts.get("kept");
        return new Probe(facts.getOrDefault("java", ""), facts.get("cache"), facts.getOrDefault("use", ""),
                kept == null ? null : kept.equals("yes"));
    }

    /** The major version of the builder's java, 0 when there is none or it cannot be read. */
    int javaMajor() {
        Matcher m = JAVA_VERSION.matcher(java);
        if (!m.find()) {
            return 0;
        }
        int major = Integer.parseInt(m.group(1));
        return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
    }
}
