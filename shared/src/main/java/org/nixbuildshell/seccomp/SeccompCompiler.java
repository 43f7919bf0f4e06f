package org.nixbuildshell.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link SeccompRules} table into classic BPF, the program Nix installs with libseccomp:
 * x86_64, its x32 ABI and i386 are covered (Nix adds i386 and x32 to the native x86_64), each with its
 * own system call numbers; a call of any other audit architecture kills the thread, libseccomp's
 * default bad-architecture action (SCMP_ACT_KILL). Calls no rule names are allowed.
 */
public final class SeccompCompiler {
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_KILL_THREAD = 0x00000000;
    private static final int RET_ERRNO = 0x00050000;

    // struct seccomp_data: nr, arch, instruction_pointer, then args[6] (the low half of each first)
    private static final int NR = 0, ARCH = 4, ARGS = 16;

    private SeccompCompiler() {}

    /** The program as the kernel's sock_filter array (8 bytes per instruction). */
    public static byte[] compile(SeccompRules rules) {
        Assembler a = new Assembler();
        a.load(ARCH);
        a.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64", "check-i386");

        a.label("x86_64");
        a.load(NR);
        a.and(~X32_SYSCALL_BIT);
        dispatch(a, rules, true);

        a.label("check-i386");
        a.jumpIfEqual(AUDIT_ARCH_I386, "i386", "kill");
        a.label("i386");
        a.load(NR);
        dispatch(a, rules, false);

        Set<String> conditions = new LinkedHashSet<>();
        for (int r = 0; r < rules.rules().size(); r++) {
            for (String call : rules.rules().get(r).syscalls()) {
                conditions.add(target(rules.rules().get(r), r, call));
            }
        }
        for (String condition : conditions) {
            if (condition.startsWith("cond-")) {
                String[] parts = condition.split("-"); // cond-RULE-ARG
                SeccompRule rule = rules.rules().get(Integer.parseInt(parts[1]));
                a.label(condition);
                a.load(ARGS + 8 * Integer.parseInt(parts[2]));
                a.jumpIfAnySet(rule.anyBits(), "errno-" + parts[1], "allow");
            }
        }
        for (int r = 0; r < rules.rules().size(); r++) {
            a.label("errno-" + r);
            a.ret(RET_ERRNO | rules.rules().get(r).errno());
        }
        a.label("kill");
        a.ret(RET_KILL_THREAD);
        a.label("allow");
        a.ret(RET_ALLOW);
        return a.assemble();
    }

    /** Jump on the call number in A to its rule's check; the first rule naming a call decides it. */
    private static void dispatch(Assembler a, SeccompRules rules, boolean x86_64) {
        Set<Integer> seen = new LinkedHashSet<>();
        for (int r = 0; r < rules.rules().size(); r++) {
            SeccompRule rule = rules.rules().get(r);
            for (String call : rule.syscalls()) {
                SyscallNumbers n = SyscallNumbers.of(call);
                if (seen.add(x86_64 ? n.x86_64() : n.i386())) {
                    a.jumpIfEqual(x86_64 ? n.x86_64() : n.i386(), target(rule, r, call), null);
                }
            }
        }
        a.ret(RET_ALLOW);
    }

    private static String target(SeccompRule rule, int index, String call) {
        int argument = rule.argumentOf(call);
        return argument < 0 ? "errno-" + index : "cond-" + index + "-" + argument;
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
