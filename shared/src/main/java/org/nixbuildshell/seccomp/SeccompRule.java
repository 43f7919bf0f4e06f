package org.nixbuildshell.seccomp;

import java.util.List;

/**
 * One rule of a seccomp rule set: these system calls fail with {@code errno}, either always or only
 * when an argument has one of {@code anyBits} set (Nix's "no setuid or setgid mode" rule).
 *
 * @param syscalls names, as in {@link SyscallNumbers}
 * @param argument the argument (0-based) the condition looks at, or -1 for no condition. It may differ
 *                 per call (chmod's mode is argument 1, fchmodat's argument 2): see {@link #argumentOf}
 * @param anyBits  the bits of that argument that make the call fail
 * @param errno    what the call fails with
 */
public record SeccompRule(List<String> syscalls, int argument, int anyBits, int errno) {
    public static final int EPERM = 1;
    public static final int ENOSYS = 38;
    public static final int ENOTSUP = 95;

    public SeccompRule {
        syscalls = List.copyOf(syscalls);
        for (String name : syscalls) {
            SyscallNumbers.of(name); // unknown names fail here, when the table is made
        }
    }

    /** These calls always fail with {@code errno}. */
    public static SeccompRule deny(int errno, String... syscalls) {
        return new SeccompRule(List.of(syscalls), -1, 0, errno);
    }

    /**
     * These calls fail with {@code errno} when their mode argument has one of {@code bits}: argument 1 of
     * chmod and fchmod, argument 2 of fchmodat and fchmodat2 (the mode follows the directory fd).
     */
    public static SeccompRule denyModeBits(int bits, int errno, String... syscalls) {
        return new SeccompRule(List.of(syscalls), 1, bits, errno);
    }

    /** The argument a call's condition reads: the *at calls take a directory fd first. */
    public int argumentOf(String syscall) {
        return argument < 0 ? -1 : syscall.endsWith("at") || syscall.endsWith("at2") ? argument + 1 : argument;
    }
}
