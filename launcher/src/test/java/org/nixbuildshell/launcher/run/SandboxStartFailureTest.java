package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.SyscallException;

/** Issue 14: only the kernel refusing namespaces or id maps is 116; other failures starting init say what failed. */
class SandboxStartFailureTest {
    @Test
    void aRefusedCloneIsNoUserNamespaces() {
        ToolError t = Sandbox.explain(new SyscallException("clone", "CLONE_NEWUSER|CLONE_NEWNS", Errno.ENOSPC));
        assertEquals(ExitCodes.NO_USER_NAMESPACES, t.exitCode(), t.getMessage());
        assertTrue(t.hint().contains("user.max_user_namespaces"), t.hint());
    }

    @Test
    void aRefusedIdMapIsNoUserNamespaces() {
        ToolError t = Sandbox.explain(new SyscallException("write", "/proc/42/uid_map, \"1000 1000 1\"", Errno.EPERM));
        assertEquals(ExitCodes.NO_USER_NAMESPACES, t.exitCode(), t.getMessage());
    }

    @Test
    void aBrokenPipeToInitIsNotAboutNamespaces() {
        ToolError t = Sandbox.explain(new SyscallException("write", "fd 7", Errno.EPIPE));
        assertEquals(ExitCodes.SETUP_FAILED, t.exitCode(), t.getMessage());
        assertEquals("cannot start init: write(fd 7): EPIPE (Broken pipe)", t.getMessage());
    }

    @Test
    void cloneOutOfMemoryIsNotAboutNamespaces() {
        ToolError t = Sandbox.explain(new SyscallException("clone", "CLONE_NEWUSER", Errno.ENOMEM));
        assertEquals(ExitCodes.SETUP_FAILED, t.exitCode(), t.getMessage());
        assertTrue(t.getMessage().contains("ENOMEM"), t.getMessage());
    }
}
