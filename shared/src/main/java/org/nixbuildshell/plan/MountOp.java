package org.nixbuildshell.plan;

/**
 * One mount init performs inside the new root, in plan order.
 *
 * @param kind     what to mount
 * @param source   host path for binds, ignored otherwise
 * @param target   absolute path inside the sandbox, e.g. {@code /dev/null}
 * @param readOnly remount the bind read-only (keeping the flags the kernel locked)
 * @param mode     directory mode for tmpfs and the store view, ignored otherwise
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
        PROC,
        /**
         * A writable tmpfs that holds the mount points of the read-only binds that follow it under its
         * target (the build's store paths): they are made read-only together, once, and the mount points
         * vanish with the sandbox (init/mount/StoreView; issue 20).
         */
        STORE_VIEW
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

    public static MountOp storeView(String target, int mode) {
        return new MountOp(Kind.STORE_VIEW, "tmpfs", target, false, mode);
    }

    public static MountOp proc(String target) {
        return new MountOp(Kind.PROC, "proc", target, false, 0);
    }
}
