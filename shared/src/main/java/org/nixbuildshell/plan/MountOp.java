package org.nixbuildshell.plan;

/**
 * One mount init performs inside the new root, in plan order.
 *
 * @param kind     what to mount
 * @param source   host path for binds, ignored otherwise
 * @param target   absolute path inside the sandbox, e.g. {@code /dev/null}
 * @param readOnly remount the bind read-only (keeping the flags the kernel locked)
 * @param mode     directory mode for tmpfs, ignored otherwise
 */
public record MountOp(Kind kind, String source, String target, boolean readOnly, int mode) {

    public enum Kind {
        /** Bind a file or directory, without its submounts. */
        BIND,
        /** Bind a directory with its submounts (e.g. /dev/pts, the whole store). */
        RBIND,
        /** A fresh tmpfs. */
        TMPFS,
        /** A procfs of the new pid namespace. */
        PROC
    }

    public static MountOp bind(String source, String target, boolean readOnly) {
        return new MountOp(Kind.BIND, source, target, readOnly, 0);
    }

    public static MountOp rbind(String source, String target, boolean readOnly) {
        return new MountOp(Kind.RBIND, source, target, readOnly, 0);
    }

    public static MountOp tmpfs(String target, int mode) {
        return new MountOp(Kind.TMPFS, "tmpfs", target, false, mode);
    }

    public static MountOp proc(String target) {
        return new MountOp(Kind.PROC, "proc", target, false, 0);
    }
}
