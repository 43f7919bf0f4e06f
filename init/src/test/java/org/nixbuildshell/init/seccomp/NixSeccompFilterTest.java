package org.nixbuildshell.init.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The program's shape; what it does is checked inside the sandbox by FilesystemIT and ConformanceIT. */
class NixSeccompFilterTest {
    private static final int RET = 0x06, JEQ = 0x15, JSET = 0x45;

    @Test
    void everyPathEndsInAReturnAndEveryJumpLandsInside() {
        ByteBuffer code = ByteBuffer.wrap(NixSeccompFilter.program()).order(ByteOrder.nativeOrder());
        int n = code.capacity() / 8;
        assertEquals(0, code.capacity() % 8);
        assertTrue(n > 10 && n < 64, "size " + n);
        for (int i = 0; i < n; i++) {
            int op = code.getShort(i * 8) & 0xffff;
            int jt = code.get(i * 8 + 2) & 0xff;
            int jf = code.get(i * 8 + 3) & 0xff;
            if (op == JEQ || op == JSET) {
                assertTrue(i + 1 + jt < n && i + 1 + jf < n, "jump out of the program at " + i);
            }
        }
        assertEquals(RET, code.getShort((n - 1) * 8) & 0xffff, "the program must end in a return");
        assertEquals(0x7fff0000, code.getInt((n - 1) * 8 + 4), "the default is to allow");
    }

    @Test
    void theDenialsAreEpermAndEnotsup() {
        ByteBuffer code = ByteBuffer.wrap(NixSeccompFilter.program()).order(ByteOrder.nativeOrder());
        boolean eperm = false, enotsup = false;
        for (int i = 0; i < code.capacity() / 8; i++) {
            if ((code.getShort(i * 8) & 0xffff) == RET) {
                int k = code.getInt(i * 8 + 4);
                eperm |= k == (0x00050000 | 1);
                enotsup |= k == (0x00050000 | 95);
            }
        }
        assertTrue(eperm && enotsup);
    }
}
