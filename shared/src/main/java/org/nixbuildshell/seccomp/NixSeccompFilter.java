package org.nixbuildshell.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp filter Nix installs in its build sandbox, as classic BPF:
 * chmod, fchmod, fchmodat and fchmodat2 that would set S_ISUID or S_ISGID fail
 * with EPERM (a build must not make setuid files), and setxattr, lsetxattr and
 * fsetxattr fail with ENOTSUP (no ACLs or capabilities in the store).
 * Everything else is allowed. x86_64, its x32 ABI and i386 are covered, as in
 * Nix, which adds i386 and x32 to the native x86_64 with libseccomp; a system
 * call of any other audit architecture kills the thread, libseccomp's default
 * bad-architecture action (SCMP_ACT_KILL).
 */
public final class NixSeccompFilter {
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_KILL_THREAD = 0x00000000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int EPERM = 1;
    private static final int ENOTSUP = 95;
    private static final int S_ISUID_OR_S_ISGID = 06000;

    // struct seccomp_data offsets
    private static final int NR = 0, ARCH = 4, ARG1_LOW = 24, ARG2_LOW = 32;

    /** The name plans use for these rules (a profile's seccompRules). */
    public static final String RULES = "nix-2.8";

    private NixSeccompFilter() {}

    /** The program as the kernel's sock_filter array (8 bytes per instruction). */
    public static byte[] program() {
        Assembler a = new Assembler();
        a.load(ARCH);
        a.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64", "check-i386");

        a.label("x86_64");
        a.load(NR);
        a.and(~X32_SYSCALL_BIT);
        syscallTable(a, 90, 91, 268, 188, 189, 190);

        a.label("check-i386");
        a.jumpIfEqual(AUDIT_ARCH_I386, "i386", "kill");
        a.label("i386");
        a.load(NR);
        syscallTable(a, 15, 94, 306, 226, 227, 228);

        a.label("mode-in-arg1");
        a.load(ARG1_LOW);
        a.jumpIfAnySet(S_ISUID_OR_S_ISGID, "eperm", "allow");
        a.label("mode-in-arg2");
        a.load(ARG2_LOW);
        a.jumpIfAnySet(S_ISUID_OR_S_ISGID, "eperm", "allow");
        a.label("eperm");
        a.ret(RET_ERRNO | EPERM);
        a.label("enotsup");
        a.ret(RET_ERRNO | ENOTSUP);
        a.label("kill");
        a.ret(RET_KILL_THREAD);
        a.label("allow");
        a.ret(RET_ALLOW);
        return a.assemble();
    }

    /** Dispatch on the syscall number in A; fchmodat2 (452) has the same number on both ABIs. */
    private static void syscallTable(Assembler a, int chmod, int fchmod, int fchmodat,
                                     int setxattr, int lsetxattr, int fsetxattr) {
        a.jumpIfEqual(chmod, "mode-in-arg1", null);
        a.jumpIfEqual(fchmod, "mode-in-arg1", null);
        a.jumpIfEqual(fchmodat, "mode-in-arg2", null);
        a.jumpIfEqual(452, "mode-in-arg2", null);
        a.jumpIfEqual(setxattr, "enotsup", null);
        a.jumpIfEqual(lsetxattr, "enotsup", null);
        a.jumpIfEqual(fsetxattr, "enotsup", null);
        a.ret(RET_ALLOW);
    }

    /** A tiny classic-BPF assembler with symbolic jump targets (null = next instruction). */
    static final class Assembler {
        private record Insn(int code, String jt, String jf, int k) {}

        private final List<Insn> insns = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void label(String name) {
            labels.put(name, insns.size());
        }

        void load(int offset) {
            insns.add(new Insn(0x20, null, null, offset)); // BPF_LD|BPF_W|BPF_ABS
        }

        void and(int mask) {
            insns.add(new Insn(0x54, null, null, mask)); // BPF_ALU|BPF_AND|BPF_K
        }

        void jumpIfEqual(int value, String ifTrue, String ifFalse) {
            insns.add(new Insn(0x15, ifTrue, ifFalse, value)); // BPF_JMP|BPF_JEQ|BPF_K
        }

        void jumpIfAnySet(int bits, String ifTrue, String ifFalse) {
            insns.add(new Insn(0x45, ifTrue, ifFalse, bits)); // BPF_JMP|BPF_JSET|BPF_K
        }

        void ret(int value) {
            insns.add(new Insn(0x06, null, null, value)); // BPF_RET|BPF_K
        }

        byte[] assemble() {
            ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
            for (int i = 0; i < insns.size(); i++) {
                Insn insn = insns.get(i);
                out.putShort((short) insn.code());
                out.put((byte) offset(i, insn.jt()));
                out.put((byte) offset(i, insn.jf()));
                out.putInt(insn.k());
            }
            return out.array();
        }

        private int offset(int from, String label) {
            if (label == null) {
                return 0;
            }
            Integer to = labels.get(label);
            if (to == null || to <= from || to - from - 1 > 255) {
                throw new IllegalStateException("bad BPF jump to " + label);
            }
            return to - from - 1;
        }
    }
}
