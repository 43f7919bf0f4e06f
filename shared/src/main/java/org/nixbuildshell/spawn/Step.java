package org.nixbuildshell.spawn;

/**
 * The steps a cloned child can fail in, with the call and the argument its error message names. The
 * child reports a step's ordinal on the exec pipe; the parent turns it into a {@code SyscallException}.
 */
enum Step {
    UNKNOWN("?", "?"),
    READ_SYNC("read", "sync pipe: the parent is gone"),
    CAPSET("capset", "capabilities"),
    AMBIENT_RAISE("prctl", "PR_CAP_AMBIENT_RAISE"),
    SIGPROCMASK("rt_sigprocmask", "SIG_SETMASK"),
    DUP2("dup2", "fd 3"),
    CHDIR("chdir", null),
    NO_NEW_PRIVS("prctl", "PR_SET_NO_NEW_PRIVS"),
    SECCOMP("seccomp", "SECCOMP_SET_MODE_FILTER"),
    EXECVE("execve", null),
    PDEATHSIG("prctl", "PR_SET_PDEATHSIG"),
    SETPGID("setpgid", "0, 0"),
    SETGROUPS("setgroups", "0, NULL"),
    SETRESGID("setresgid", "the mapped gid"),
    SETRESUID("setresuid", "the mapped uid"),
    SETNS("setns", "the running sandbox's namespaces"),
    CHROOT("chroot", "the running sandbox's root"),
    CLONE_INTO_PID_NS("clone", "a process in the running sandbox's pid namespace"),
    PRLIMIT("prlimit64", "RLIMIT_CORE"),
    PERSONALITY("personality", "the plan's flags"),
    LANDLOCK("landlock", "LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET");

    private static final Step[] ALL = values();

    final String call;
    private final String fixedArgument;

    Step(String call, String fixedArgument) {
        this.call = call;
        this.fixedArgument = fixedArgument;
    }

    /** The step of a reported ordinal; anything out of range is UNKNOWN. */
    static Step at(int ordinal) {
        return ordinal > 0 && ordinal < ALL.length ? ALL[ordinal] : UNKNOWN;
    }

    /** What the message names: the fixed argument, else the directory (chdir) or the program. */
    String argument(ChildSpec spec) {
        return fixedArgument != null ? fixedArgument : this == CHDIR ? spec.workdir() : spec.executable();
    }
}
