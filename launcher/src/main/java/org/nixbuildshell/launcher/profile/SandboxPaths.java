package org.nixbuildshell.launcher.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.launcher.nixconf.NixPlaces;

/**
 * What the host's nix.conf binds at {@code /bin/sh} through {@code sandbox-paths}
 * (or {@code extra-sandbox-paths}): {@code /bin/sh=/host/path}, or {@code /bin/sh}
 * alone for the same path. Read from the file ($NIX_CONF_DIR, else /etc/nix), not
 * from {@code nix show-config}, which Nix 2.8 hides behind an experimental feature.
 */
public final class SandboxPaths {
    private SandboxPaths() {}

    /** The host path bound at /bin/sh, or null when nix.conf names none (or cannot be read). */
    public static String binSh() {
        Path conf = NixPlaces.systemConf(System.getenv());
        try {
            return binSh(Files.exists(conf) ? Files.readString(conf) : "");
        } catch (IOException e) {
            return null;
        }
    }

    static String binSh(String nixConf) {
        String found = null;
        for (String raw : nixConf.lines().toList()) {
            String line = raw.replaceFirst("#.*", "").strip();
            String[] kv = line.split("\\s*=\\s*", 2);
            if (kv.length < 2 || !(kv[0].equals("sandbox-paths") || kv[0].equals("extra-sandbox-paths"))) {
                continue;
            }
            if (kv[0].equals("sandbox-paths")) {
                found = null; // a later sandbox-paths replaces the earlier list
            }
            for (String entry : kv[1].split("\\s+")) {
                String path = entry.endsWith("?") ? entry.substring(0, entry.length() - 1) : entry;
                if (path.equals("/bin/sh")) {
                    found = "/bin/sh";
                } else if (path.startsWith("/bin/sh=")) {
                    found = path.substring("/bin/sh=".length());
                }
            }
        }
        return found;
    }
}
