package org.nixbuildshell.launcher.nixconf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemFeaturesTest {
    private static Map<String, String> conf(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        NixPlaces.parse(text, settings);
        return settings;
    }

    @Test
    void kvmIsAFeatureByDefaultAndWhenListed() {
        assertTrue(SystemFeatures.kvm(conf("sandbox = true\n")));
        assertTrue(SystemFeatures.kvm(conf("system-features = benchmark kvm big-parallel\n")));
        assertTrue(SystemFeatures.kvm(conf("system-features = benchmark\nextra-system-features = kvm\n")));
    }

    @Test
    void aListWithoutKvmLeavesItOut() {
        assertFalse(SystemFeatures.kvm(conf("system-features = benchmark big-parallel nixos-test\n")));
        assertFalse(SystemFeatures.kvm(conf("system-features =\n")));
        assertFalse(SystemFeatures.kvm(conf("system-features = kvm-ish # kvm\n")));
    }
}
