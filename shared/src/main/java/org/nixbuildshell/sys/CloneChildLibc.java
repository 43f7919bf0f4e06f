package org.nixbuildshell.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The only calls made by a freshly cloned child before it execs. Between
 * clone(2) and execve(2) the child is a copy of one thread of a JVM whose
 * other threads are gone: it must not allocate, log, throw or take a lock.
 * So these take only primitives and raw addresses of buffers allocated by the
 * parent before the clone, and report failure through the return value alone
 * (no {@code LastErrorException}: creating it would allocate). The errno of a
 * failed call is read through {@link #__errno_location()}.
 */
public final class CloneChildLibc {
    static {
        Native.register(CloneChildLibc.class, NativeLibrary.getInstance("c"));
    }

    private CloneChildLibc() {}

    /** syscall(2) with raw arguments; -1 on failure. */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    /** read(2) into the buffer at address {@code buf}. */
    public static native long read(int fd, long buf, long count);

    /** write(2) from the buffer at address {@code buf}. */
    public static native long write(int fd, long buf, long count);

    /** close(2). */
    public static native int close(int fd);

    /** dup2(2): {@code newfd} becomes a copy of {@code oldfd}, without FD_CLOEXEC. */
    public static native int dup2(int oldfd, int newfd);

    /** fcntl(2) with an integer argument. */
    public static native int fcntl(int fd, int cmd, long arg);

    /** prctl(2). */
    public static native int prctl(int option, long a2, long a3, long a4, long a5);

    /** chdir(2) to the NUL-terminated path at address {@code path}. */
    public static native int chdir(long path);

    /** execve(2): path, argv and envp are addresses of prepared C strings/arrays; returns only on failure. */
    public static native int execve(long path, long argv, long envp);

    /** memcpy(3) between two raw addresses. */
    public static native long memcpy(long dest, long src, long n);

    /** memset(3) at a raw address. */
    public static native long memset(long dest, int c, long n);

    /** _exit(2): leave at once, without running atexit handlers or JVM shutdown. */
    public static native void _exit(int status);

    /** __errno_location(3): the address of this thread's errno. */
    public static native long __errno_location();
}
