package org.nixbuildshell.plan;

/**
 * One operation that builds the new root, run by init in plan order in one loop, as bubblewrap's
 * setup_newroot runs its list: the skeleton's directories, files, links and modes, then the mount
 * namespace's own steps and the mounts, then the seal. Paths are inside the new root
 * ({@code /etc/passwd}); {@code /} is the root itself. Init decides nothing: modes, mount options and
 * the order all come from the planner.
 *
 * @param kind     what to do
 * @param path     the file, directory, link or mount point made or changed
 * @param source   the host path bound (BIND, RBIND), else null
 * @param data     the file's text (WRITE_FILE), the link's target (SYMLINK), the mount options (TMPFS), else null
 * @param mode     the mode (MKDIR, WRITE_FILE, CHMOD; the mount point's directory mode for the mounts), else 0
 * @param readOnly remount the bind read-only (keeping the flags the kernel locked)
 */
public record SetupOp(Kind kind, String path, String source, String data, int mode, boolean readOnly) {

    public enum Kind {
        /** A directory and its missing parents. */
        MKDIR,
        /** A new file holding {@code data}. */
        WRITE_FILE,
        /** A symbolic link to {@code data}. */
        SYMLINK,
        /** Set the mode of what is there. */
        CHMOD,
        /** Make every mount of the namespace private (MS_REC|MS_PRIVATE on the host's {@code /}), so that
         *  nothing propagates between the sandbox and the host. */
        MAKE_PRIVATE,
        /** Bind a file or directory, without its submounts (the root on itself, to seal it later). */
        BIND,
        /** Bind a directory with its submounts (e.g. /dev/pts, the whole store). */
        RBIND,
        /** A fresh tmpfs, with {@code data} as its options. */
        TMPFS,
        /** A procfs of the new pid namespace. */
        PROC,
        /** Remount a bind read-only (the root, once everything is mounted on it). */
        REMOUNT_READ_ONLY
    }

    public static SetupOp mkdir(String path, int mode) {
        return new SetupOp(Kind.MKDIR, path, null, null, mode, false);
    }

    public static SetupOp writeFile(String path, String content, int mode) {
        return new SetupOp(Kind.WRITE_FILE, path, null, content, mode, false);
    }

    public static SetupOp symlink(String target, String path) {
        return new SetupOp(Kind.SYMLINK, path, null, target, 0, false);
    }

    public static SetupOp chmod(String path, int mode) {
        return new SetupOp(Kind.CHMOD, path, null, null, mode, false);
    }

    public static SetupOp makePrivate() {
        return new SetupOp(Kind.MAKE_PRIVATE, "/", null, null, 0, false);
    }

    /** @param mountPointMode the mode of a directory made for the mount point (a file gets it without x bits) */
    public static SetupOp bind(String source, String path, boolean readOnly, int mountPointMode) {
        return new SetupOp(Kind.BIND, path, source, null, mountPointMode, readOnly);
    }

    public static SetupOp rbind(String source, String path, boolean readOnly, int mountPointMode) {
        return new SetupOp(Kind.RBIND, path, source, null, mountPointMode, readOnly);
    }

    public static SetupOp tmpfs(String path, String options, int mountPointMode) {
        return new SetupOp(Kind.TMPFS, path, "tmpfs", options, mountPointMode, false);
    }

    public static SetupOp proc(String path, int mountPointMode) {
        return new SetupOp(Kind.PROC, path, "proc", null, mountPointMode, false);
    }

    public static SetupOp remountReadOnly(String path) {
        return new SetupOp(Kind.REMOUNT_READ_ONLY, path, null, null, 0, true);
    }

    /** Whether this operation mounts something (the rest shape files). */
    public boolean mounts() {
        return kind.compareTo(Kind.MAKE_PRIVATE) >= 0;
    }
}
