package org.nixbuildshell.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitectureTest {
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "x86_64"})
    void x86_64Runs(String arch) {
        assertNull(Architecture.refusal(arch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aarch64", "arm", "x86", "i386", "riscv64", "ppc64le", "s390x", "loongarch64", ""})
    void everythingElseIsRefusedInOneLine(String arch) {
        String refusal = Architecture.refusal(arch);
        assertTrue(refusal != null && refusal.contains("this machine is " + arch + ",") && refusal.contains("x86_64"),
                String.valueOf(refusal));
        assertEquals(1, refusal.lines().count(), refusal);
    }
}
