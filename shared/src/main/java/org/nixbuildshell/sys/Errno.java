package org.nixbuildshell.sys;

/** errno values the sandbox cares about, and their symbolic names for messages. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21,
            EINVAL = 22, ENOSPC = 28, EROFS = 30, EPIPE = 32, ENOSYS = 38, ENOTSUP = 95, EUSERS = 87, EDQUOT = 122;

    private static final String[] NAMES = new String[134];

    static {
        String[] table = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC", "9 EBADF",
            "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "16 EBUSY", "17 EEXIST", "18 EXDEV",
            "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "25 ENOTTY",
            "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE", "30 EROFS", "31 EMLINK", "32 EPIPE",
            "36 ENAMETOOLONG", "38 ENOSYS", "39 ENOTEMPTY", "40 ELOOP", "61 ENODATA", "87 EUSERS",
            "95 ENOTSUP", "97 EAFNOSUPPORT", "122 EDQUOT"
        };
        for (String entry : table) {
            int space = entry.indexOf(' ');
            NAMES[Integer.parseInt(entry.substring(0, space))] = entry.substring(space + 1);
        }
    }

    private Errno() {}

    /** "ENOENT", or "errno 200" for a value without a name here. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** "ENOENT (No such file or directory)". */
    public static String describe(int errno) {
        return name(errno) + " (" + LinuxLibc.strerror(errno) + ")";
    }
}
