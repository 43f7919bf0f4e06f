package org.nixbuildshell.plan;

/**
 * One step that shapes the new root before anything is mounted on it, run by
 * init in plan order (as bubblewrap runs its list of setup operations in one
 * loop). Paths are inside the new root, e.g. {@code /etc/passwd}.
 *
 * @param kind    what to do
 * @param path    the file, directory or link made or changed
 * @param content the file's text (WRITE_FILE) or the link's target (SYMLINK), else null
 * @param mode    the mode (MKDIR, WRITE_FILE, CHMOD), else 0
 */
public record SetupOp(Kind kind, String path, String content, int mode) {

    public enum Kind {
        /** A directory and its missing parents. */
        MKDIR,
        /** A new file holding {@code content}. */
        WRITE_FILE,
        /** A symbolic link to {@code content}. */
        SYMLINK,
        /** Set the mode of what is there. */
        CHMOD
    }

    public static SetupOp mkdir(String path, int mode) {
        return new SetupOp(Kind.MKDIR, path, null, mode);
    }

    public static SetupOp writeFile(String path, String content, int mode) {
        return new SetupOp(Kind.WRITE_FILE, path, content, mode);
    }

    public static SetupOp symlink(String target, String path) {
        return new SetupOp(Kind.SYMLINK, path, target, 0);
    }

    public static SetupOp chmod(String path, int mode) {
        return new SetupOp(Kind.CHMOD, path, null, mode);
    }
}
