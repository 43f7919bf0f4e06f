package org.nixbuildshell.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nixbuildshell.status.ExitCodes;
import picocli.CommandLine.Command;

/** Every documented status is distinct and listed in --help (and so in the man page). */
class ExitCodesTest {
    @Test
    void everyStatusIsDistinctAndListedInTheHelp() throws IllegalAccessException {
        Set<String> listed = new HashSet<>();
        for (String entry : NixBuildShellCommand.class.getAnnotation(Command.class).exitCodeList()) {
            listed.add(entry.substring(0, entry.indexOf(':')));
        }
        Set<Integer> seen = new HashSet<>();
        for (Field f : ExitCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                int status = f.getInt(null);
                assertTrue(seen.add(status), f.getName() + " reuses status " + status);
                assertTrue(listed.contains(String.valueOf(status)), f.getName() + " (" + status + ") missing from --help: "
                        + Arrays.toString(listed.toArray()));
            }
        }
        assertTrue(listed.containsAll(Set.of("126", "127", "0-255")));
    }
}
