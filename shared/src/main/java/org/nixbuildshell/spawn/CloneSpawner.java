package org.nixbuildshell.spawn;

import static org.nixbuildshell.sys.Linux.*;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.util.function.IntConsumer;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.CloneChildLibc;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a program in a cloned child, the way docs/ARCHITECTURE.md ("Starting init") says a
 * multithreaded JVM must: clone(2) (unshare(2) of a user namespace fails with
 * EINVAL once there are threads), then in the child only preallocated,
 * allocation-free native calls up to execve(2).
 *
 * <p>Two pipes connect parent and child. The sync pipe holds the child until
 * the parent has written its id maps (one byte means go; EOF means the parent
 * died). The exec pipe is close-on-exec: EOF means execve succeeded, eight
 * bytes mean step and errno of a failure. A child that neither execs nor
 * fails in time is assumed stuck on a JVM safepoint copied at clone time: it
 * is killed and cloned again.
 */
public final class CloneSpawner {
    private static final Logger log = LoggerFactory.getLogger(CloneSpawner.class);
    /**
     * How long a child may take to exec before it counts as hung; {@value #TIMEOUT_PROPERTY}
     * overrides it. 0 is for tests (ErrorsIT): every child counts as hung without a wait,
     * since the real cause (a safepoint copied at clone time) cannot be made on demand.
     */
    public static final String TIMEOUT_PROPERTY = "nbs.cloneTimeoutMillis";
    private static final int EXEC_TIMEOUT_MILLIS = Integer.getInteger(TIMEOUT_PROPERTY, 3000);
    private static final int ATTEMPTS = 4;

    private static boolean warm;

    private CloneSpawner() {}

    /**
     * Clone a child that runs {@code spec}; {@code beforeGo} gets its pid
     * (in the caller's pid namespace) while it waits, to write its id maps.
     * Returns the pid once the child has exec'd.
     */
    public static int spawn(ChildSpec spec, IntConsumer beforeGo) {
        warmUp();
        PreparedChild child = new PreparedChild(spec);
        for (int attempt = 1; ; attempt++) {
            int pid = attempt(spec, child, beforeGo);
            if (pid > 0) {
                return pid;
            }
            if (attempt == ATTEMPTS) {
                // not a failed call (that would be a SyscallException): nothing refused, the child just never ran
                throw new ToolError(ExitCodes.START_HUNG, "cannot start " + spec.executable() + ": its cloned process hung "
                        + "before exec " + ATTEMPTS + " times (" + EXEC_TIMEOUT_MILLIS + " ms each)",
                        "the machine is probably overloaded; run again when it is less busy");
            }
            // the soak test (scripts/soak) counts these lines
            log.info("clone: child hung, retrying (no exec within {} ms; attempt {} of {})", EXEC_TIMEOUT_MILLIS,
                    attempt + 1, ATTEMPTS);
        }
    }

    /** The pid, or 0 when the child hung and was killed. */
    private static int attempt(ChildSpec spec, PreparedChild child, IntConsumer beforeGo) {
        int[] sync = spec.waitForGo() ? Sys.pipe(O_CLOEXEC) : new int[] {-1, -1};
        int[] exec = Sys.pipe(O_CLOEXEC);
        child.syncRead = sync[0];
        child.syncWrite = sync[1];
        child.execRead = exec[0];
        child.execWrite = exec[1];
        long flags = spec.cloneFlags() | SIGCHLD;
        int pid;
        try {
            pid = (int) LinuxLibc.syscall(SYS_CLONE, flags, 0, 0, 0, 0);
        } catch (LastErrorException e) {
            closeQuietly(sync[0], sync[1], exec[0], exec[1]);
            throw new SyscallException("clone", cloneFlagNames(flags), e.getErrorCode());
        }
        if (pid == 0) {
            runChild(child); // never returns
        }
        closeQuietly(sync[0], exec[1]);
        try {
            if (spec.waitForGo()) {
                beforeGo.accept(pid);
                Sys.writeAll(sync[1], new byte[] {1});
                closeQuietly(sync[1]);
            }
            if (EXEC_TIMEOUT_MILLIS == 0 || !Sys.pollReadable(exec[0], EXEC_TIMEOUT_MILLIS)) {
                Sys.kill(pid, SIGKILL);
                Sys.waitpid(pid, 0);
                return 0;
            }
            byte[] report = new byte[8];
            int got = readFully(exec[0], report);
            if (got == 0) {
                log.debug("clone: pid {} exec'd {}", pid, spec.executable());
                return pid;
            }
            Sys.waitpid(pid, 0);
            Step failed = Step.at(littleEndianInt(report, 0));
            int errno = got >= 8 ? littleEndianInt(report, 4) : 0;
            throw new SyscallException(failed.call, failed.argument(spec), errno);
        } catch (RuntimeException e) {
            if (Sys.waitpid(pid, WNOHANG)[0] == 0) {
                Sys.kill(pid, SIGKILL);
                Sys.waitpid(pid, 0);
            }
            throw e;
        } finally {
            closeQuietly(sync[1], exec[0]);
        }
    }

    /**
     * The child: a copy of this one thread. Only field reads, arithmetic and calls into
     * {@link CloneChildLibc} with primitives until execve; each step below fails through
     * {@link #fail}, which reports the step and errno on the exec pipe and exits.
     */
    private static void runChild(PreparedChild c) {
        CloneChildLibc.close(c.execRead);
        if (c.syncWrite >= 0) {
            CloneChildLibc.close(c.syncWrite);
        }
        if (c.waitForGo) {
            if (c.dieWithParent) {
                dieWithParent(c);
            }
            awaitIdMaps(c);
            becomeMappedIds(c);
        }
        if (c.joinFds != null) {
            join(c); // returns in the process that goes on to exec, inside the sandbox
        }
        if (c.ownProcessGroup) {
            check(c, Step.SETPGID, CloneChildLibc.syscall(SYS_SETPGID, 0, 0, 0, 0, 0));
        }
        setCapabilities(c);
        resetSignals(c);
        passDescriptors(c);
        if (c.workdir != 0) {
            check(c, Step.CHDIR, CloneChildLibc.chdir(c.workdir));
        }
        if (c.applySettings) {
            applySettings(c);
        }
        CloneChildLibc.execve(c.path, c.argv, c.envp);
        fail(c, Step.EXECVE);
    }

    /** Die with the parent; the byte awaited next covers a parent that died before this. */
    private static void dieWithParent(PreparedChild c) {
        check(c, Step.PDEATHSIG, CloneChildLibc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0));
    }

    private static void awaitIdMaps(PreparedChild c) {
        if (CloneChildLibc.read(c.syncRead, c.oneByte, 1) != 1) {
            fail(c, Step.READ_SYNC);
        }
    }

    /** Raw system calls: glibc's set*id wrappers would signal the JVM's other threads, gone here. */
    private static void becomeMappedIds(PreparedChild c) {
        if (c.becomeUid < 0) {
            return;
        }
        check(c, Step.SETGROUPS, CloneChildLibc.syscall(SYS_SETGROUPS, 0, 0, 0, 0, 0));
        check(c, Step.SETRESGID, CloneChildLibc.syscall(SYS_SETRESGID, c.becomeGid, c.becomeGid, c.becomeGid, 0, 0));
        check(c, Step.SETRESUID, CloneChildLibc.syscall(SYS_SETRESUID, c.becomeUid, c.becomeUid, c.becomeUid, 0, 0));
    }

    /**
     * Keep every capability across execve as uid 1000 (init: inheritable := permitted, each one raised
     * into the ambient set), or drop them all (a command: empty ambient and inheritable sets).
     */
    private static void setCapabilities(PreparedChild c) {
        if (!c.keepCapabilities && !c.dropCapabilities) {
            return;
        }
        CloneChildLibc.memset(c.capHeader, 0, 8);
        writeInt(c.capHeader, LINUX_CAPABILITY_VERSION_3);
        check(c, Step.CAPSET, CloneChildLibc.syscall(SYS_CAPGET, c.capHeader, c.capData, 0, 0, 0));
        if (c.keepCapabilities) {
            // inheritable := permitted, in both 32-bit halves
            CloneChildLibc.memcpy(c.capData + 8, c.capData + 4, 4);
            CloneChildLibc.memcpy(c.capData + 20, c.capData + 16, 4);
        } else {
            CloneChildLibc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
            CloneChildLibc.memset(c.capData + 8, 0, 4);
            CloneChildLibc.memset(c.capData + 20, 0, 4);
        }
        check(c, Step.CAPSET, CloneChildLibc.syscall(SYS_CAPSET, c.capHeader, c.capData, 0, 0, 0));
        for (int cap = 0; c.keepCapabilities && cap <= c.lastCap; cap++) {
            check(c, Step.AMBIENT_RAISE, CloneChildLibc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0));
        }
    }

    /** No signal blocked; SIGQUIT back to its default (our JVMs ignore it, see {@link Signals}). */
    private static void resetSignals(PreparedChild c) {
        check(c, Step.SIGPROCMASK, CloneChildLibc.syscall(SYS_RT_SIGPROCMASK, SIG_SETMASK, c.emptySigset, 0, 8, 0));
        CloneChildLibc.syscall(SYS_RT_SIGACTION, SIGQUIT, c.defaultAction, 0, 8, 0);
    }

    /** Nothing the JVM had open leaks into the program (every fd from 3 close-on-exec); passFd becomes fd 3. */
    private static void passDescriptors(PreparedChild c) {
        if (CloneChildLibc.syscall(SYS_CLOSE_RANGE, 3, 0xffffffffL, CLOSE_RANGE_CLOEXEC, 0, 0) != 0) {
            for (int fd = 3; fd < 4096; fd++) {
                CloneChildLibc.fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
        if (c.passFd >= 0 && (CloneChildLibc.dup2(c.passFd, 3) != 3 || CloneChildLibc.fcntl(3, F_SETFD, 0) != 0)) {
            fail(c, Step.DUP2);
        }
    }

    /**
     * The plan's process settings, last before execve: umask, core limit, personality, then
     * no_new_privs, which Landlock and an unprivileged seccomp filter need, then those two.
     */
    private static void applySettings(PreparedChild c) {
        CloneChildLibc.syscall(SYS_UMASK, c.umask, 0, 0, 0, 0); // cannot fail
        check(c, Step.PRLIMIT, CloneChildLibc.syscall(SYS_PRLIMIT64, 0, RLIMIT_CORE, c.coreLimit, 0, 0));
        check(c, Step.PERSONALITY, CloneChildLibc.syscall(SYS_PERSONALITY, c.personality, 0, 0, 0, 0));
        if (c.noNewPrivs) {
            check(c, Step.NO_NEW_PRIVS, CloneChildLibc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
        }
        if (c.landlockScopes != 0) {
            restrictLandlockScopes(c);
        }
        if (c.seccompProgram != 0) {
            check(c, Step.SECCOMP, CloneChildLibc.syscall(SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, 0, c.seccompProgram, 0, 0));
        }
    }

    /** As Nix: only where the kernel's Landlock ABI has scopes (6+); a kernel without Landlock skips it. */
    private static void restrictLandlockScopes(PreparedChild c) {
        long abi = CloneChildLibc.syscall(SYS_LANDLOCK_CREATE_RULESET, 0, 0, LANDLOCK_CREATE_RULESET_VERSION, 0, 0);
        if (abi < LANDLOCK_ABI_SCOPES) {
            return;
        }
        long ruleset = CloneChildLibc.syscall(SYS_LANDLOCK_CREATE_RULESET, c.landlockAttr, 24, 0, 0, 0);
        check(c, Step.LANDLOCK, ruleset < 0 ? -1 : 0);
        check(c, Step.LANDLOCK, CloneChildLibc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0, 0, 0, 0));
        CloneChildLibc.close((int) ruleset);
    }

    /** A call's return value: -1 (or any negative) is a failure of {@code step}. */
    private static void check(PreparedChild c, Step step, long result) {
        if (result < 0) {
            fail(c, step);
        }
    }

    /**
     * setns(2) into each namespace in order (user first: it gives the capabilities the others need),
     * fchdir(2) to the sandbox's root and chroot(".") there, as its init did. A pid namespace applies
     * to children only: fork, and in this process wait for that child, with every signal blocked (the
     * terminal's go to the child), then exit with its status as a shell reports it.
     */
    private static void join(PreparedChild c) {
        for (int i = 0; i < 6; i++) {
            if (c.joinFds[i] >= 0 && CloneChildLibc.syscall(SYS_SETNS, c.joinFds[i], 0, 0, 0, 0) != 0) {
                fail(c, Step.SETNS);
            }
        }
        if (CloneChildLibc.syscall(SYS_FCHDIR, c.joinFds[6], 0, 0, 0, 0) != 0
                || CloneChildLibc.syscall(SYS_CHROOT, c.dot, 0, 0, 0, 0) != 0) {
            fail(c, Step.CHROOT);
        }
        CloneChildLibc.syscall(SYS_RT_SIGPROCMASK, SIG_SETMASK, c.fullSigset, 0, 8, 0);
        long pid = CloneChildLibc.syscall(SYS_CLONE, SIGCHLD, 0, 0, 0, 0);
        if (pid < 0) {
            fail(c, Step.CLONE_INTO_PID_NS);
        }
        if (pid == 0) {
            return;
        }
        CloneChildLibc.close(c.execWrite); // the child's exec closes its copy: EOF then means it ran
        while (CloneChildLibc.syscall(SYS_WAIT4, pid, Pointer.nativeValue(c.waitStatus), 0, 0, 0) != pid) {
            if (CloneChildLibc.syscall(SYS_KILL, pid, 0, 0, 0, 0) != 0) {
                CloneChildLibc._exit(ExitCodes.INTERNAL);
            }
        }
        int status = c.waitStatus.getInt(0);
        CloneChildLibc._exit((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f));
    }

    private static void fail(PreparedChild c, Step step) {
        writeInt(c.failedStep, step.ordinal());
        CloneChildLibc.write(c.execWrite, c.failedStep, 4);
        CloneChildLibc.write(c.execWrite, CloneChildLibc.__errno_location(), 4);
        CloneChildLibc._exit(127);
    }

    /** Store a little-endian int at a raw address, byte by byte through memset (no allocation). */
    private static void writeInt(long address, int value) {
        for (int i = 0; i < 4; i++) {
            CloneChildLibc.memset(address + i, (value >>> (8 * i)) & 0xff, 1);
        }
    }

    /**
     * Resolve every call the child makes while still in the parent, so the
     * child's first execution of them does not link classes or take locks.
     * All calls below fail harmlessly (bad descriptor, bad address).
     */
    public static synchronized void warmUp() {
        if (warm) {
            return;
        }
        CloneChildLibc.close(-1);
        CloneChildLibc.read(-1, 0, 0);
        CloneChildLibc.write(-1, 0, 0);
        CloneChildLibc.dup2(-1, -1);
        CloneChildLibc.fcntl(-1, F_SETFD, 0);
        CloneChildLibc.prctl(-1, 0, 0, 0, 0);
        CloneChildLibc.chdir(0);
        CloneChildLibc.execve(0, 0, 0);
        CloneChildLibc.syscall(-1, 0, 0, 0, 0, 0);
        new com.sun.jna.Memory(8).getInt(0);
        CloneChildLibc.memcpy(0, 0, 0);
        CloneChildLibc.memset(0, 0, 0);
        CloneChildLibc.__errno_location();
        writeInt(CloneChildLibc.__errno_location(), 0);
        Step.at(0); // the enum's class is initialised here, not in a child
        warm = true;
    }

    private static int readFully(int fd, byte[] buf) {
        int total = 0;
        while (total < buf.length) {
            byte[] part = new byte[buf.length - total];
            int n = Sys.read(fd, part);
            if (n <= 0) {
                break;
            }
            System.arraycopy(part, 0, buf, total, n);
            total += n;
        }
        return total;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void closeQuietly(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    LinuxLibc.close(fd);
                } catch (LastErrorException ignored) {
                    // already closed
                }
            }
        }
    }

    static String cloneFlagNames(long flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"CLONE_NEWUSER", "CLONE_NEWNS", "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_NEWUTS", "CLONE_NEWIPC"};
        long[] bits = {CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                s.append(s.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return s.length() == 0 ? "SIGCHLD" : s.toString();
    }
}
