package org.nixbuildshell.sys;

/** Kernel ABI constants for x86_64, from the uapi headers. */
public final class Linux {
    private Linux() {}

    // syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl)
    public static final long SYS_CLONE = 56, SYS_RT_SIGACTION = 13, SYS_RT_SIGPROCMASK = 14, SYS_CAPGET = 125, SYS_CAPSET = 126,
            SYS_SECCOMP = 317, SYS_PIVOT_ROOT = 155, SYS_CLOSE_RANGE = 436, SYS_SETPGID = 109, SYS_SETRESUID = 117,
            SYS_SETRESGID = 119, SYS_SETGROUPS = 116, SYS_SETNS = 308, SYS_FCHDIR = 81, SYS_CHROOT = 161, SYS_WAIT4 = 61,
            SYS_KILL = 62;
    public static final long SYS_UMASK = 95, SYS_PRLIMIT64 = 302, SYS_PERSONALITY = 135,
            SYS_LANDLOCK_CREATE_RULESET = 444, SYS_LANDLOCK_RESTRICT_SELF = 446;
    public static final int RLIMIT_CORE = 4;
    public static final long SYS_UNSHARE = 272, CLONE_NEWCGROUP = 0x02000000;
    /** landlock_create_ruleset(2) flag: return the highest Landlock ABI the kernel has. */
    public static final int LANDLOCK_CREATE_RULESET_VERSION = 1;
    /** The first Landlock ABI with scopes (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET). */
    public static final int LANDLOCK_ABI_SCOPES = 6;
    /** mount_setattr(2), Linux 5.12: a raw number, as glibc has a wrapper only from 2.36. */
    public static final long SYS_MOUNT_SETATTR = 442;
    /** memfd_create(2), by number: glibc has a wrapper only since 2.27. */
    public static final long SYS_MEMFD_CREATE = 319, MFD_CLOEXEC = 1;

    // clone(2)
    public static final long CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
            CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    // mount(2)
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;
    public static final int MNT_DETACH = 2;

    // mount_setattr(2) (uapi linux/mount.h, linux/fcntl.h)
    public static final int AT_FDCWD = -100, AT_RECURSIVE = 0x8000;
    public static final long MOUNT_ATTR_RDONLY = 0x1;
    /** sizeof(struct mount_attr) of its first version: attr_set, attr_clr, propagation, userns_fd (4 × u64). */
    public static final int MOUNT_ATTR_SIZE_VER0 = 32;

    // statvfs(3) f_flag
    public static final long ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_NOATIME = 1024,
            ST_NODIRATIME = 2048, ST_RELATIME = 4096;

    // prctl(2)
    public static final int PR_SET_PDEATHSIG = 1, PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47,
            PR_SET_CHILD_SUBREAPER = 36;
    public static final long PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    // capget(2)
    public static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    // seccomp(2)
    public static final long SECCOMP_SET_MODE_FILTER = 1;

    // signals
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGTERM = 15, SIGCHLD = 17,
            SIGCONT = 18, SIGTSTP = 20, SIGTTOU = 22, SIGWINCH = 28;
    /** signal(2) dispositions. */
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SIG_SETMASK = 2;

    // open(2)/fcntl(2)
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0x100, O_TRUNC = 01000,
            O_NOFOLLOW = 0400000, O_RDWR = 2, LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8, O_CLOEXEC = 0x80000, F_SETFD = 2, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030;
    public static final long CLOSE_RANGE_CLOEXEC = 4;
    public static final int O_DIRECTORY = 0200000;

    // socket(2), shutdown(2)
    public static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, SHUT_RD = 0;

    // waitpid(2)
    public static final int WNOHANG = 1, __WALL = 0x40000000;

    // setrlimit(2)

    // poll(2)
    public static final short POLLIN = 1;

    /** WIFEXITED/WEXITSTATUS/WTERMSIG folded into a shell-style status: the code, or 128+N for signal N. */
    public static int shellStatus(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal;
    }

    /** True when a wait status means the child has ended (not merely stopped). */
    public static boolean hasEnded(int waitStatus) {
        int low = waitStatus & 0xff;
        return low != 0x7f;
    }
}
