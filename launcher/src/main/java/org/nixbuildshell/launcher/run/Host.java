package org.nixbuildshell.launcher.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.nixbuildshell.launcher.nixconf.SystemFeatures;
import org.nixbuildshell.launcher.profile.NixProfiles;
import org.nixbuildshell.launcher.profile.SandboxPaths;
import org.nixbuildshell.launcher.profile.SandboxProfile;

/**
 * What the planner must know of this machine, probed once by the launcher: which of the host paths a
 * sandbox may bind exist (the devices Nix binds, /dev/kvm only with the kvm system feature, a sandbox
 * shell, resolv.conf…) and what the host's nix.conf binds at /bin/sh. The planner is then a function
 * of its inputs alone.
 *
 * @param existing       the host paths, of those a plan may bind, that exist
 * @param sandboxPathsSh what sandbox-paths in the host's nix.conf binds at /bin/sh, or null
 */
public record Host(Set<String> existing, String sandboxPathsSh) {
    /**
     * What Nix binds into the /etc of a build with the host's network, where the host has it: the
     * resolver's files and the CA certificates (Nix's ssl-cert-file, by default this file).
     */
    static final String[] NETWORK_FILES = {"/etc/resolv.conf", "/etc/services", "/etc/hosts",
        "/etc/ssl/certs/ca-certificates.crt"};

    public Host {
        existing = Set.copyOf(existing);
    }

    public boolean has(String path) {
        return existing.contains(path);
    }

    /** This machine. */
    public static Host probe() {
        Set<String> candidates = new LinkedHashSet<>(Set.of(NETWORK_FILES));
        for (SandboxProfile profile : NixProfiles.ALL) {
            profile.devices().forEach(device -> candidates.add("/dev/" + device));
            if (profile.sandboxShell() != null) {
                candidates.add(profile.sandboxShell());
            }
        }
        String sandboxPathsSh = SandboxPaths.binSh();
        if (sandboxPathsSh != null) {
            candidates.add(sandboxPathsSh);
        }
        candidates.removeIf(path -> !Files.exists(Path.of(path)));
        if (!SystemFeatures.kvm()) {
            candidates.remove("/dev/kvm"); // Nix binds it only with the kvm system feature
        }
        return new Host(candidates, sandboxPathsSh);
    }
}
