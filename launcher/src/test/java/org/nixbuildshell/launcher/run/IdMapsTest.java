package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.SyscallException;

/** Issue 14: a refused id map reports the kernel's errno, not one guessed from a message. */
class IdMapsTest {
    @Test
    void aSecondUidMapIsRefusedWithEperm() {
        // this process's user namespace has its map already: the kernel says EPERM
        int self = LinuxLibc.getpid();
        SyscallException e = assertThrows(SyscallException.class, () -> IdMaps.writeProc(self, "uid_map", "0 0 1\n"));
        assertEquals(Errno.EPERM, e.errno(), e.getMessage());
        assertEquals("write(/proc/" + self + "/uid_map, \"0 0 1\"): EPERM (Operation not permitted)", e.getMessage());
    }

    @Test
    void aProcessThatIsGoneIsEnoent() {
        SyscallException e = assertThrows(SyscallException.class, () -> IdMaps.write(999_999_999, new SandboxUser(0, 0, false)));
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
        assertEquals("open", e.call(), e.getMessage());
    }
}
