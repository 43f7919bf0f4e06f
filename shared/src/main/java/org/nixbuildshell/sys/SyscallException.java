package org.nixbuildshell.sys;

/**
 * A failed system call, and the only exception the native layer throws. Its
 * message names the call, its key argument and the errno, e.g.
 * {@code mount(proc, /proc): EPERM (Operation not permitted)}, and may carry
 * a hint saying what the user can do about it.
 */
public final class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String argument;
    private final int errno;
    private final String hint;

    public SyscallException(String call, String argument, int errno, String hint) {
        super(call + "(" + argument + "): " + Errno.describe(errno));
        this.call = call;
        this.argument = argument;
        this.errno = errno;
        this.hint = hint;
    }

    public SyscallException(String call, String argument, int errno) {
        this(call, argument, errno, null);
    }

    public String call() { return call; }

    /** The key argument, as shown in the message (a path, "fd 5", clone's flags...). */
    public String argument() { return argument; }

    public int errno() { return errno; }

    /** The file system is full, or the user's quota used up: what a disk-full message and hint are for. */
    public boolean diskFull() {
        return errno == Errno.ENOSPC || errno == Errno.EDQUOT;
    }

    /** What the user can do, or null. */
    public String hint() { return hint; }

    public SyscallException withHint(String newHint) {
        SyscallException e = new SyscallException(call, argument, errno, newHint);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
