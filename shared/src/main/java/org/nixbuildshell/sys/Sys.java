package org.nixbuildshell.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Checked wrappers over {@link LinuxLibc}: the one errno path. Each failure
 * becomes a {@link SyscallException} naming the call and its key argument.
 */
public final class Sys {
    private Sys() {}

    @FunctionalInterface
    private interface Call {
        long invoke() throws LastErrorException;
    }

    private static long check(String call, String argument, Call body) {
        try {
            return body.invoke();
        } catch (LastErrorException e) {
            throw new SyscallException(call, argument, e.getErrorCode());
        }
    }

    public static void mount(String source, String target, String fstype, long flags, String data) {
        Pointer options = data == null ? null : cString(data);
        check("mount", (source == null ? "none" : source) + ", " + target,
                () -> LinuxLibc.mount(source, target, fstype, flags, options));
    }

    public static void umount(String target, int flags) {
        check("umount2", target, () -> LinuxLibc.umount2(target, flags));
    }

    public static void chroot(String path) {
        check("chroot", path, () -> LinuxLibc.chroot(path));
    }

    /**
     * pivot_root(2) (no glibc wrapper): make {@code newRoot} the root mount of the calling process's mount
     * namespace and move the old root to {@code putOld}, which may be the same directory (then the old root is
     * stacked on the new one until detached). newRoot must be a mount point, and neither it nor its parent
     * may be shared. EINVAL for a shared or non-mount newRoot, EBUSY when it is already the root,
     * EPERM without CAP_SYS_ADMIN in the mount namespace's user namespace.
     */
    public static void pivotRoot(String newRoot, String putOld) {
        Memory nr = cString(newRoot);
        Memory old = cString(putOld);
        check("pivot_root", newRoot + ", " + putOld,
                () -> LinuxLibc.syscall(Linux.SYS_PIVOT_ROOT, Pointer.nativeValue(nr), Pointer.nativeValue(old), 0, 0, 0));
    }

    /**
     * mount_setattr(2) (Linux 5.12, no wrapper before glibc 2.36): change the properties of the mount at
     * {@code path}, and with {@link Linux#AT_RECURSIVE} in {@code flags} of every mount below it, in one call:
     * {@code attrSet} MOUNT_ATTR_* flags are set, {@code attrClr} cleared (struct mount_attr: attr_set,
     * attr_clr, propagation, userns_fd). All or nothing: on failure no mount was changed. ENOSYS on older
     * kernels, EPERM when a flag to clear is locked (set by a more privileged user namespace), EINVAL for an
     * unknown flag.
     */
    public static void mountSetattr(String path, int flags, long attrSet, long attrClr) {
        Memory p = cString(path);
        Memory attr = new Memory(Linux.MOUNT_ATTR_SIZE_VER0);
        attr.clear();
        attr.setLong(0, attrSet);
        attr.setLong(8, attrClr);
        check("mount_setattr", path, () -> LinuxLibc.syscall(Linux.SYS_MOUNT_SETATTR, Linux.AT_FDCWD,
                Pointer.nativeValue(p), flags, Pointer.nativeValue(attr), Linux.MOUNT_ATTR_SIZE_VER0));
    }

    public static void chdir(String path) {
        check("chdir", path, () -> LinuxLibc.chdir(path));
    }

    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        check("sethostname", name, () -> LinuxLibc.sethostname(bytes, bytes.length));
    }

    public static void setdomainname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        check("setdomainname", name, () -> LinuxLibc.setdomainname(bytes, bytes.length));
    }

    public static int socket(int domain, int type, int protocol) {
        return (int) check("socket", domain + ", " + type, () -> LinuxLibc.socket(domain, type, protocol));
    }

    public static void ioctl(int fd, long request, Pointer arg, String what) {
        check("ioctl", what, () -> LinuxLibc.ioctl(fd, request, arg));
    }

    public static void close(int fd) {
        check("close", Integer.toString(fd), () -> LinuxLibc.close(fd));
    }

    /** A pipe: [read end, write end]. */
    public static int[] pipe(int flags) {
        int[] fds = new int[2];
        check("pipe2", "", () -> LinuxLibc.pipe2(fds, flags));
        return fds;
    }

    /**
     * memfd_create(2) holding {@code content}, close-on-exec: a file only in memory. Unlike a pipe it
     * can be read from the start by anyone who opens /proc/self/fd/N, and it is a regular file, so
     * bash reads a script from it in blocks, not a byte at a time.
     */
    public static int memfd(String name, byte[] content) {
        Memory cName = cString(name);
        int fd = (int) check("memfd_create", name,
                () -> LinuxLibc.syscall(Linux.SYS_MEMFD_CREATE, Pointer.nativeValue(cName), Linux.MFD_CLOEXEC, 0, 0, 0));
        try {
            writeAll(fd, content, name);
        } catch (SyscallException e) {
            close(fd);
            throw e;
        }
        return fd;
    }

    /** A connected pair of stream sockets (AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC), one for each process. */
    public static int[] socketpair() {
        int[] fds = new int[2];
        check("socketpair", "AF_UNIX, SOCK_STREAM", () -> LinuxLibc.socketpair(Linux.AF_UNIX,
                Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0, fds));
        return fds;
    }

    /** Shut down the receiving half of a socket: a read blocked on it returns end of file. */
    public static void shutdownRead(int fd) {
        check("shutdown", "fd " + fd + ", SHUT_RD", () -> LinuxLibc.shutdown(fd, Linux.SHUT_RD));
    }

    /** read(2), retried on EINTR; 0 at end of file. */
    public static int read(int fd, byte[] buf) {
        while (true) {
            try {
                return (int) LinuxLibc.read(fd, buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("read", "fd " + fd, e.getErrorCode());
                }
            }
        }
    }

    /**
     * Write {@code content} to an existing file with one open(2) and one write(2), as the
     * kernel wants for /proc files such as uid_map (it refuses a map split over writes).
     */
    public static void writeFile(String path, byte[] content, String shown) {
        int fd = (int) check("open", path, () -> LinuxLibc.open(path, Linux.O_WRONLY | Linux.O_CLOEXEC, 0));
        try {
            check("write", path + ", \"" + shown + "\"", () -> LinuxLibc.write(fd, content, content.length));
        } finally {
            LinuxLibc.close(fd);
        }
    }

    /**
     * Create {@code path} (O_EXCL, so never through a symlink) and write all of {@code content};
     * when a write fails (a full disk), the partial file is removed again.
     */
    public static void createFile(String path, byte[] content, int mode) {
        int fd = (int) check("open", path + ", O_CREAT|O_EXCL",
                () -> LinuxLibc.open(path, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_CLOEXEC, mode));
        try {
            writeAll(fd, content, path);
        } catch (SyscallException e) {
            LinuxLibc.close(fd);
            try {
                LinuxLibc.unlink(path);
            } catch (LastErrorException ignored) {
                // the write's error is the one to report
            }
            throw e;
        }
        LinuxLibc.close(fd);
    }

    /** open(2) of an existing {@code path}, O_RDONLY|O_CLOEXEC and {@code flags}; returns the descriptor. */
    public static int openReadOnly(String path, int flags) {
        return (int) check("open", path, () -> LinuxLibc.open(path, Linux.O_RDONLY | Linux.O_CLOEXEC | flags));
    }

    /** open(2) with O_RDWR|O_CREAT|O_CLOEXEC, for a lock file; returns the descriptor. */
    public static int openLockFile(String path) {
        return (int) check("open", path + ", O_RDWR|O_CREAT",
                () -> LinuxLibc.open(path, Linux.O_RDWR | Linux.O_CREAT | Linux.O_CLOEXEC, 0600));
    }

    /** flock(2) that waits (EINTR retried); {@code exclusive} or shared. */
    public static void flock(int fd, boolean exclusive, String shown) {
        while (true) {
            try {
                LinuxLibc.flock(fd, exclusive ? Linux.LOCK_EX : Linux.LOCK_SH);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("flock", shown, e.getErrorCode());
                }
            }
        }
    }

    /** flock(2) with LOCK_NB: false when another holds a conflicting lock. */
    public static boolean tryFlock(int fd, boolean exclusive, String shown) {
        try {
            LinuxLibc.flock(fd, (exclusive ? Linux.LOCK_EX : Linux.LOCK_SH) | Linux.LOCK_NB);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) {
                return false;
            }
            throw new SyscallException("flock", shown, e.getErrorCode());
        }
    }

    /** mkdir(2) of {@code path} and of each missing parent; directories that exist already are fine. */
    public static void mkdirs(String path, int mode) {
        try {
            LinuxLibc.mkdir(path, mode);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == Errno.ENOENT) {
                int slash = path.lastIndexOf('/');
                if (slash > 0) {
                    mkdirs(path.substring(0, slash), mode);
                    try {
                        LinuxLibc.mkdir(path, mode);
                        return;
                    } catch (LastErrorException again) {
                        errno = again.getErrorCode(); // EEXIST: another process made it meanwhile
                    }
                }
            }
            // EEXIST of a directory is what we want; of anything else, the error it is
            if (errno != Errno.EEXIST || !java.nio.file.Files.isDirectory(java.nio.file.Path.of(path))) {
                throw new SyscallException("mkdir", path, errno);
            }
        }
    }


    public static void symlink(String target, String link) {
        check("symlink", target + ", " + link, () -> LinuxLibc.symlink(target, link));
    }

    /** A new directory {@code prefix + 6 random characters}, mode 0700; returns its path. */
    public static String mkdtemp(String prefix) {
        byte[] template = (prefix + "XXXXXX\0").getBytes(StandardCharsets.UTF_8);
        check("mkdtemp", prefix + "XXXXXX", () -> LinuxLibc.mkdtemp(template) == null ? -1 : 0);
        return new String(template, 0, template.length - 1, StandardCharsets.UTF_8);
    }

    /** Write all of {@code buf}. */
    public static void writeAll(int fd, byte[] buf) {
        writeAll(fd, buf, "fd " + fd);
    }

    /** Write all of {@code buf}; errors name {@code shown} (a path, say) as the argument. */
    private static void writeAll(int fd, byte[] buf, String shown) {
        int done = 0;
        while (done < buf.length) {
            byte[] rest = done == 0 ? buf : java.util.Arrays.copyOfRange(buf, done, buf.length);
            done += (int) check("write", shown, () -> LinuxLibc.write(fd, rest, rest.length));
        }
    }

    /** Wait up to {@code timeoutMillis} for {@code fd} to be readable (or hung up); false on timeout. */
    public static boolean pollReadable(int fd, int timeoutMillis) {
        Memory pollfd = new Memory(8);
        pollfd.setInt(0, fd);
        pollfd.setShort(4, Linux.POLLIN);
        pollfd.setShort(6, (short) 0);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            try {
                return LinuxLibc.poll(pollfd, 1, left) > 0;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("poll", "fd " + fd, e.getErrorCode());
                }
            }
        }
    }

    /**
     * waitpid(2), retried on EINTR. Returns {pid, status}; pid 0 with WNOHANG
     * when nothing changed, or -1 when there are no children (ECHILD).
     */
    public static int[] waitpid(int pid, int options) {
        int[] status = new int[1];
        while (true) {
            try {
                int got = LinuxLibc.waitpid(pid, status, options);
                return new int[] {got, status[0]};
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.ECHILD) {
                    return new int[] {-1, 0};
                }
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("waitpid", Integer.toString(pid), e.getErrorCode());
                }
            }
        }
    }

    /** kill(2); a process that is already gone (ESRCH) is not an error. */
    public static void kill(int pid, int signal) {
        try {
            LinuxLibc.kill(pid, signal);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new SyscallException("kill", pid + ", " + signal, e.getErrorCode());
            }
        }
    }

    /** The ST_* flags of the mount holding {@code path}. */
    public static long mountFlags(String path) {
        Memory buf = new Memory(112);
        check("statvfs", path, () -> LinuxLibc.statvfs(path, buf));
        return buf.getLong(72);
    }

    public static void lchown(String path, int uid, int gid) {
        check("lchown", path, () -> LinuxLibc.lchown(path, uid, gid));
    }

    public static void chmod(String path, int mode) {
        check("chmod", path + ", 0" + Integer.toOctalString(mode), () -> LinuxLibc.chmod(path, mode));
    }

    /** A raw syscall through the checked path; {@code what} names it in errors. */
    public static long syscall(String what, String argument, long nr, long a1, long a2, long a3, long a4, long a5) {
        return check(what, argument, () -> LinuxLibc.syscall(nr, a1, a2, a3, a4, a5));
    }

    /** A NUL-terminated copy of {@code s} in native memory. */
    public static Memory cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    /** True when {@code fd} is a terminal. */
    public static boolean isatty(int fd) {
        return LinuxLibc.isatty(fd) == 1;
    }

    /**
     * True when {@code fd} is a terminal whose foreground process group is the
     * caller's: a Ctrl-C there was delivered to the caller's whole group.
     */
    public static boolean inForegroundOf(int fd) {
        if (!isatty(fd)) {
            return false;
        }
        try {
            return LinuxLibc.tcgetpgrp(fd) == LinuxLibc.getpgrp();
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** The process group of {@code pid}, 0 when it is outside our pid namespace, -1 when the process is gone. */
    public static int processGroupOf(int pid) {
        try {
            return LinuxLibc.getpgid(pid);
        } catch (LastErrorException e) {
            return -1;
        }
    }

    /**
     * True when the caller's controlling terminal (/dev/tty, whatever fd 0
     * is) has the caller's process group in the foreground: a Ctrl-C typed
     * there was delivered to the caller's whole group. False without one.
     */
    public static boolean inForegroundOfControllingTerminal() {
        int fd;
        try {
            fd = LinuxLibc.open("/dev/tty", Linux.O_RDONLY | Linux.O_NOCTTY | Linux.O_CLOEXEC);
        } catch (LastErrorException e) {
            return false; // ENXIO: no controlling terminal
        }
        try {
            return LinuxLibc.tcgetpgrp(fd) == LinuxLibc.getpgrp();
        } catch (LastErrorException e) {
            return false;
        } finally {
            LinuxLibc.close(fd);
        }
    }
}
