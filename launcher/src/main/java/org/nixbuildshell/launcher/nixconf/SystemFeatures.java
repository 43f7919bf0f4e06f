package org.nixbuildshell.launcher.nixconf;

import java.util.Arrays;
import java.util.Map;

/**
 * The machine's {@code system-features} as nix.conf (and NIX_CONFIG) set them. Every Nix since 2.8
 * binds /dev/kvm into the sandbox only when {@code kvm} is among them (and the device exists):
 * {@code systemFeatures.count("kvm") && pathExists("/dev/kvm")} in its Linux derivation builder.
 * Unset, the list is Nix's default, which has {@code kvm} when /dev/kvm can be opened read-write by
 * Nix: by the daemon, which runs as root, whenever it exists.
 */
public final class SystemFeatures {
    private SystemFeatures() {}

    /** Whether this machine's Nix counts {@code kvm} among its system features. */
    public static boolean kvm() {
        return kvm(NixPlaces.settings(System.getenv()));
    }

    static boolean kvm(Map<String, String> settings) {
        String features = settings.get("system-features");
        if (features == null) {
            return true;
        }
        String extra = settings.getOrDefault("extra-system-features", "");
        return Arrays.asList((features + " " + extra).trim().split("\\s+")).contains("kvm");
    }
}
