package org.nixbuildshell.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The program's shape, and what it does for (arch, syscall, args) on a small classic-BPF interpreter. */
class SeccompCompilerTest {
    private static final int RET = 0x06, JEQ = 0x15, JSET = 0x45;

    @Test
    void everyPathEndsInAReturnAndEveryJumpLandsInside() {
        ByteBuffer code = ByteBuffer.wrap(SeccompCompiler.compile(SeccompRules.NIX_2_8)).order(ByteOrder.nativeOrder());
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
        ByteBuffer code = ByteBuffer.wrap(SeccompCompiler.compile(SeccompRules.NIX_2_8)).order(ByteOrder.nativeOrder());
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

    private static final int X86_64 = 0xc000003e, I386 = 0x40000003, X32 = 0x40000000;
    private static final int ALLOW = 0x7fff0000, KILL = 0, EPERM = 0x00050001, ENOTSUP = 0x0005005f;

    @Test
    void otherArchitecturesAreKilledAsByLibseccomp() {
        // aarch64, arm, riscv64, ppc64le, s390x and an unknown value
        for (int arch : new int[] {0xc00000b7, 0x40000028, 0xc00000f3, 0xc0000015, 0x80000016, 0x12345678}) {
            assertEquals(KILL, run(arch, 90, 0, 0), "arch " + Integer.toHexString(arch));
            assertEquals(KILL, run(arch, 0, 0, 0), "arch " + Integer.toHexString(arch));
        }
    }

    @Test
    void theNativeAndCompatArchitecturesGetNixsRules() {
        assertEquals(ALLOW, run(X86_64, 0, 0, 0)); // read
        assertEquals(EPERM, run(X86_64, 90, 04755, 0)); // chmod u+s
        assertEquals(ALLOW, run(X86_64, 90, 0755, 0));
        assertEquals(EPERM, run(X86_64, 268, 0, 02755)); // fchmodat g+s
        assertEquals(EPERM, run(X86_64, 452, 0, 04000)); // fchmodat2
        assertEquals(ENOTSUP, run(X86_64, 188, 0, 0)); // setxattr
        assertEquals(ENOTSUP, run(X86_64, X32 | 190, 0, 0)); // fsetxattr, x32 ABI
        assertEquals(EPERM, run(I386, 15, 04755, 0)); // chmod
        assertEquals(ENOTSUP, run(I386, 227, 0, 0)); // lsetxattr
        assertEquals(ALLOW, run(I386, 90, 04755, 0)); // i386's 90 is old_mmap, not chmod
    }

    @Test
    void eachArchitectureLooksAtTheModeInItsOwnArgument() {
        // x32: the x86_64 numbers with bit 30 set, the mode where x86_64 has it
        assertEquals(EPERM, run(X86_64, X32 | 90, 02000, 0)); // chmod g+s
        assertEquals(ALLOW, run(X86_64, X32 | 90, 0, 04755)); // chmod's mode is arg 1, not arg 2
        assertEquals(EPERM, run(X86_64, X32 | 91, 06000, 0)); // fchmod
        assertEquals(EPERM, run(X86_64, X32 | 268, 0, 04000)); // fchmodat
        assertEquals(ALLOW, run(X86_64, X32 | 268, 04000, 0755));
        // i386: its own numbers
        assertEquals(EPERM, run(I386, 94, 04000, 0)); // fchmod
        assertEquals(EPERM, run(I386, 306, 0, 02000)); // fchmodat
        assertEquals(ALLOW, run(I386, 306, 0, 01777)); // sticky bit is fine
        assertEquals(EPERM, run(I386, 452, 0, 04000)); // fchmodat2
        assertEquals(ENOTSUP, run(I386, 226, 0, 0)); // setxattr
        assertEquals(ENOTSUP, run(I386, 228, 0, 0)); // fsetxattr
        assertEquals(ALLOW, run(I386, 188, 0, 0)); // x86_64's setxattr is i386's getpmsg
        assertEquals(ALLOW, run(X86_64, 15, 04755, 0)); // i386's chmod is x86_64's rt_sigreturn
    }

    @Test
    void aRuleSetIsDataNewerNixAddsRulesAndTheProgramFollows() {
        SeccompRules nix235 = SeccompRules.NIX_2_8.plus("nix-2.35",
                SeccompRule.deny(SeccompRule.ENOTSUP, "getxattr", "lgetxattr", "fgetxattr"),
                SeccompRule.deny(SeccompRule.ENOTSUP, "listxattr", "llistxattr", "flistxattr"));
        byte[] program = SeccompCompiler.compile(nix235);
        assertEquals(ENOTSUP, run(program, X86_64, 194, 0, 0)); // listxattr
        assertEquals(ENOTSUP, run(program, X86_64, X32 | 196, 0, 0)); // flistxattr, x32
        assertEquals(ENOTSUP, run(program, I386, 233, 0, 0)); // llistxattr
        assertEquals(ENOTSUP, run(program, I386, 229, 0, 0)); // getxattr
        assertEquals(EPERM, run(program, X86_64, 90, 04755, 0), "the older rules stay");
        assertEquals(ALLOW, run(program, X86_64, 0, 0, 0));
        byte[] old = SeccompCompiler.compile(SeccompRules.NIX_2_8);
        assertEquals(ALLOW, run(old, X86_64, 194, 0, 0), "2.8 lists extended attributes");
    }

    @Test
    void anUnknownCallInATableIsAMistakeFoundAtOnce() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SeccompRule.deny(SeccompRule.ENOTSUP, "no_such_call"));
    }

    private static int run(int arch, int nr, int arg1, int arg2) {
        return run(SeccompCompiler.compile(SeccompRules.NIX_2_8), arch, nr, arg1, arg2);
    }

    /** Run the program on one system call, as the kernel would (the few classic-BPF instructions it uses). */
    private static int run(byte[] program, int arch, int nr, int arg1, int arg2) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN); // struct seccomp_data
        data.putInt(0, nr).putInt(4, arch).putInt(24, arg1).putInt(32, arg2);
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int a = 0;
        for (int pc = 0; ; pc++) {
            int op = code.getShort(pc * 8) & 0xffff;
            int jt = code.get(pc * 8 + 2) & 0xff;
            int jf = code.get(pc * 8 + 3) & 0xff;
            int k = code.getInt(pc * 8 + 4);
            switch (op) {
                case 0x20 -> a = data.getInt(k);
                case 0x54 -> a &= k;
                case JEQ -> pc += a == k ? jt : jf;
                case JSET -> pc += (a & k) != 0 ? jt : jf;
                case RET -> {
                    return k;
                }
                default -> throw new AssertionError("unexpected opcode " + op + " at " + pc);
            }
        }
    }
}
