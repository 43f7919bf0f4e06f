package org.nixbuildshell.plan;

import org.nixbuildshell.seccomp.SeccompRules;

/**
 * The process state a command in the sandbox starts with, whichever path starts it (init for the
 * session's command, a joining launcher for a second terminal's): the planner decides it from the
 * profile, and {@code spawn/CommandStart} applies it in the cloned child just before execve.
 *
 * @param umask            the builder's umask
 * @param coreLimit        RLIMIT_CORE (soft and hard), in bytes
 * @param personality      personality(2) flags: ADDR_NO_RANDOMIZE, plus PER_LINUX32 for i686 builds
 * @param noNewPrivs       PR_SET_NO_NEW_PRIVS
 * @param seccomp          the rule set installed as a seccomp filter, or null for none
 * @param landlockScopes   Landlock scopes (LANDLOCK_SCOPE_*) restricted where the kernel's Landlock ABI
 *                         has them (6 and later), else nothing; 0 for none
 * @param dropCapabilities clear the ambient and inheritable sets, so that execve as uid 1000 leaves none
 */
public record ProcessSettings(int umask, long coreLimit, int personality, boolean noNewPrivs,
                              SeccompRules seccomp, long landlockScopes, boolean dropCapabilities) {

    /** personality(2): no address space randomisation, which Nix sets for every build. */
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;
    /** personality(2): a 32-bit uname machine, which Nix sets for i686-linux builds. */
    public static final int PER_LINUX32 = 0x0008;
    /** Landlock: no connecting to abstract unix sockets outside the sandbox (Landlock ABI 6). */
    public static final long LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET = 0x1;
}
