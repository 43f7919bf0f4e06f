package org.nixbuildshell.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.nixbuildshell.log.Phases;

/**
 * The glibc calls both processes make, bound by JNA direct mapping (no per-call
 * allocation, no varargs). Every method throws {@link LastErrorException} on
 * failure; call them through {@link Sys}, which turns that into a
 * {@link SyscallException} naming the call. The clone child must not use this
 * class: see {@link CloneChildLibc}.
 *
 * <p>Each Javadoc states the man-page contract the caller relies on.
 */
public final class LinuxLibc {
    static {
        Phases.mark("jna-start");
        Native.register(LinuxLibc.class, NativeLibrary.getInstance("c"));
        Phases.mark("jna");
    }

    private LinuxLibc() {}

    /** syscall(2): raw system call; returns the kernel's result, -1 with errno on failure. */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5) throws LastErrorException;

    /** mount(2): attach {@code source} at {@code target}; with MS_REMOUNT|MS_BIND change the flags of an existing bind. */
    public static native int mount(String source, String target, String fstype, long flags, Pointer data) throws LastErrorException;

    /** umount2(2): detach the mount at {@code target}; MNT_DETACH makes it lazy. */
    public static native int umount2(String target, int flags) throws LastErrorException;


    /** chroot(2): change the root directory of the calling process (needs CAP_SYS_CHROOT in its user namespace). */
    public static native int chroot(String path) throws LastErrorException;

    /** chdir(2): change the working directory. */
    public static native int chdir(String path) throws LastErrorException;

    /** sethostname(2): set the UTS hostname; {@code len} bytes of {@code name}, no NUL needed. */
    public static native int sethostname(byte[] name, long len) throws LastErrorException;

    /** setdomainname(2): set the NIS domain name of the UTS namespace. */
    public static native int setdomainname(byte[] name, long len) throws LastErrorException;

    /** socket(2): a new socket descriptor (used only as a handle for interface ioctls). */
    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    /** ioctl(2) with a pointer argument, e.g. SIOCGIFFLAGS/SIOCSIFFLAGS on a struct ifreq. */
    public static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    /** open(2): a new descriptor for {@code path}; {@code mode} applies when O_CREAT creates the file. */
    public static native int open(String path, int flags, int mode) throws LastErrorException;

    /** mkdir(2): one directory, {@code mode} masked by the umask; EEXIST when the name is taken. */
    public static native int mkdir(String path, int mode) throws LastErrorException;


    /** unlink(2): remove a name that is not a directory. */
    public static native int unlink(String path) throws LastErrorException;

    /** symlink(2): create {@code linkpath} pointing at {@code target} (not checked to exist). */
    public static native int symlink(String target, String linkpath) throws LastErrorException;

    /**
     * mkdtemp(3): create a directory, mode 0700, from {@code template} (NUL-terminated, ending in
     * XXXXXX, which it replaces in place); returns the template, or NULL with errno set.
     */
    public static native Pointer mkdtemp(byte[] template) throws LastErrorException;

    /** close(2). */
    public static native int close(int fd) throws LastErrorException;

    /**
     * socketpair(2): two connected sockets in {@code fds}; with SOCK_STREAM each end reads what the other
     * writes, and reads end of file once the other end is closed.
     */
    public static native int socketpair(int domain, int type, int protocol, int[] fds) throws LastErrorException;

    /** shutdown(2): SHUT_RD (0) ends what this end receives: a read blocked on it returns 0 at once. */
    public static native int shutdown(int fd, int how) throws LastErrorException;

    /** pipe2(2): {@code fds[0]} read end, {@code fds[1]} write end; O_CLOEXEC in {@code flags}. */
    public static native int pipe2(int[] fds, int flags) throws LastErrorException;

    /** read(2): up to {@code count} bytes; 0 at end of file. */
    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    /** write(2): may write fewer than {@code count} bytes. */
    public static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    /** poll(2) on one descriptor: {@code pollfd} is struct pollfd {int fd; short events; short revents}. */
    public static native int poll(Pointer pollfd, long nfds, int timeoutMillis) throws LastErrorException;

    /** waitpid(2): status in {@code status[0]}; returns the pid, 0 with WNOHANG if none changed state. */
    public static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

    /** kill(2): send {@code sig} to {@code pid}; pid -1 from a PID 1 means every other process of its namespace. */
    public static native int kill(int pid, int sig) throws LastErrorException;

    /** getuid(2): real uid; never fails. */
    public static native int getuid();

    /** getgid(2): real gid; never fails. */
    public static native int getgid();

    /** getpid(2): never fails. */
    public static native int getpid();

    /** umask(2): set the file mode creation mask, return the old one; never fails. */
    public static native int umask(int mask);

    /** isatty(3): 1 if {@code fd} refers to a terminal. */
    public static native int isatty(int fd);

    /** tcgetpgrp(3): the foreground process group of the terminal on {@code fd}. */
    public static native int tcgetpgrp(int fd) throws LastErrorException;

    /** getpgrp(2): the caller's process group; 0 when it lies outside the caller's pid namespace. */
    public static native int getpgrp();

    /** getpgid(2): the process group of {@code pid}; 0 when it lies outside the caller's pid namespace. */
    public static native int getpgid(int pid) throws LastErrorException;

    /**
     * flock(2): apply (LOCK_SH 1, LOCK_EX 2, with LOCK_NB 4 not to block) or remove (LOCK_UN 8) an
     * advisory lock on the open file of {@code fd}; it goes with the open file description, so it is
     * released when the last descriptor to it closes, also when the process dies. EWOULDBLOCK (EAGAIN)
     * with LOCK_NB when another holds a conflicting lock.
     */
    public static native int flock(int fd, int operation) throws LastErrorException;

    /** open(2) without O_CREAT (no mode): returns the new descriptor. */
    public static native int open(String path, int flags) throws LastErrorException;

    /** statvfs(3): fills struct statvfs; {@code f_flag} (offset 72 on x86_64) holds the ST_* mount flags. */
    public static native int statvfs(String path, Pointer buf) throws LastErrorException;

    /** lchown(2): change the owner of a path without following a final symlink. */
    public static native int lchown(String path, int uid, int gid) throws LastErrorException;

    /** chmod(2): unlike java.nio, can set the sticky bit (mode 01777 for /tmp). */
    public static native int chmod(String path, int mode) throws LastErrorException;

    /** signal(2): set a disposition; {@code handler} 0 is SIG_DFL, 1 is SIG_IGN. Returns the old one. */
    public static native long signal(int signum, long handler);

    /** strerror(3): the message for {@code errnum}. */
    public static native String strerror(int errnum);
}
