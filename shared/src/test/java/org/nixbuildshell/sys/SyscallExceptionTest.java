package org.nixbuildshell.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SyscallExceptionTest {
    @Test
    void messageNamesCallArgumentAndErrno() {
        SyscallException e = new SyscallException("mount", "proc, /proc", Errno.EPERM, "try this");
        assertEquals("mount(proc, /proc): EPERM (Operation not permitted)", e.getMessage());
        assertEquals("try this", e.hint());
        assertEquals(Errno.EPERM, e.errno());
    }

    @Test
    void hintCanBeAddedLater() {
        SyscallException e = new SyscallException("chroot", "/x (y)", Errno.ENOENT).withHint("h");
        assertEquals("chroot(/x (y)): ENOENT (No such file or directory)", e.getMessage());
        assertEquals("h", e.hint());
    }

    @Test
    void realFailureGoesThroughTheOnePath() {
        SyscallException e = org.junit.jupiter.api.Assertions.assertThrows(SyscallException.class,
                () -> Sys.chdir("/nonexistent/nix-build-shell-test"));
        assertEquals("chdir(/nonexistent/nix-build-shell-test): ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void unknownErrnoStillReads() {
        assertEquals("errno 200", Errno.name(200));
    }
}
