package org.nixbuildshell.seccomp;

import java.util.Map;

/**
 * System call numbers of the calls seccomp rule sets name, on the two ABIs Nix's filter covers on
 * x86_64 (the x32 ABI uses the x86_64 numbers with bit 30 set). From the kernel's
 * arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl.
 *
 * @param x86_64 the number on x86_64
 * @param i386   the number on i386
 */
public record SyscallNumbers(int x86_64, int i386) {
    private static final Map<String, SyscallNumbers> TABLE = Map.ofEntries(
            Map.entry("chmod", new SyscallNumbers(90, 15)),
            Map.entry("fchmod", new SyscallNumbers(91, 94)),
            Map.entry("fchmodat", new SyscallNumbers(268, 306)),
            Map.entry("fchmodat2", new SyscallNumbers(452, 452)),
            Map.entry("setxattr", new SyscallNumbers(188, 226)),
            Map.entry("lsetxattr", new SyscallNumbers(189, 227)),
            Map.entry("fsetxattr", new SyscallNumbers(190, 228)),
            Map.entry("getxattr", new SyscallNumbers(191, 229)),
            Map.entry("lgetxattr", new SyscallNumbers(192, 230)),
            Map.entry("fgetxattr", new SyscallNumbers(193, 231)),
            Map.entry("listxattr", new SyscallNumbers(194, 232)),
            Map.entry("llistxattr", new SyscallNumbers(195, 233)),
            Map.entry("flistxattr", new SyscallNumbers(196, 234)),
            Map.entry("io_uring_setup", new SyscallNumbers(425, 425)),
            Map.entry("io_uring_enter", new SyscallNumbers(426, 426)),
            Map.entry("io_uring_register", new SyscallNumbers(427, 427)));

    /** The numbers of {@code name}; an unknown name is a mistake in a rule table. */
    public static SyscallNumbers of(String name) {
        SyscallNumbers n = TABLE.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no system call number known for " + name);
        }
        return n;
    }
}
