package org.nixbuildshell.launcher.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteArgsTest {
    private static RemoteArgs parse(String... args) {
        return RemoteArgs.parse(args);
    }

    @Test
    void aLocalCommandLineIsNotRemote() {
        assertNull(parse("/tmp/nix-build-x.drv-0", "make"));
        // ssh:// in the COMMAND, --on after TARGET: the command's
        assertNull(parse("/tmp/nix-build-x.drv-0", "curl", "ssh://host/x"));
        assertNull(parse("-v", "/tmp/nix-build-x.drv-0", "tool", "--on", "h"));
        // an option's value is no TARGET
        assertNull(parse("--tmpdir", "/tmp", "/tmp/nix-build-x.drv-0", "ssh://h/x"));
    }

    @Test
    void anSshTargetBecomesTheBuildersPath() {
        RemoteArgs r = parse("-vv", "--bind", "/opt:/opt", "ssh://alice@builder:2222/tmp/nix-build-x.drv-0", "make", "-j4");
        assertEquals(new Destination("alice@builder", 2222, null, null), r.target().destination());
        assertEquals(List.of("-vv", "--bind", "/opt:/opt", "/tmp/nix-build-x.drv-0", "make", "-j4"), r.forwarded());
        assertEquals("/tmp/nix-build-x.drv-0", r.keptPath());
        assertEquals(2, r.verbosity());
    }

    @Test
    void diffAndShortOptionsWithValues() {
        assertEquals(List.of("--diff", "/tmp/k"), parse("--diff", "ssh://b/tmp/k").forwarded());
        assertEquals(List.of("-A", "hello", "./default.nix"), parse("--on", "b", "-A", "hello", "./default.nix").forwarded());
        assertEquals(List.of("-vA", "hello", "./x.nix"), parse("--on=b", "-vA", "hello", "./x.nix").forwarded());
        assertEquals(List.of("--", "/tmp/k"), parse("--", "ssh://b/tmp/k").forwarded());
    }

    @Test
    void onForwardsEverythingElseAsGiven() {
        RemoteArgs r = parse("--on", "builder", "--last", "make", "-j4");
        assertEquals("builder", r.builder());
        assertNull(r.target());
        assertNull(r.keptPath(), "after --last comes the COMMAND, not a path");
        assertEquals(List.of("--last", "make", "-j4"), r.forwarded());
        assertEquals(List.of("--list"), parse("--on=builder", "--list").forwarded());
        // options this launcher does not know (a newer builder's) go there as they are
        assertEquals(List.of("--newer-option", "/tmp/k"), parse("--on", "b", "--newer-option", "/tmp/k").forwarded());
    }

    @Test
    void mistakes() {
        assertThrows(IllegalArgumentException.class, () -> parse("--on", "b", "ssh://b/tmp/k"));
        assertThrows(IllegalArgumentException.class, () -> parse("ssh://builder"));
        assertThrows(IllegalArgumentException.class, () -> parse("ssh://builder:x/tmp/k"));
        assertThrows(IllegalArgumentException.class, () -> parse("--on"));
    }

    @Test
    void destinations() {
        assertEquals(new Destination("builder", null, null, null), RemoteTarget.parse("ssh-ng://builder/k").destination());
        assertEquals(new Destination("root@::1", 22, null, null), RemoteTarget.parse("ssh://root@[::1]:22/k").destination());
        assertEquals("builder", new Destination("root@builder", null, null, null).host());
    }
}
