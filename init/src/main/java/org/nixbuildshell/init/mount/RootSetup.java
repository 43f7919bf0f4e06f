package org.nixbuildshell.init.mount;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.nixbuildshell.plan.SetupOp;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the plan's setup operations in the new root, in order, in one loop (bubblewrap's
 * setup_newroot): the files and modes it names, and the mounts, through {@link RootMounts}.
 */
public final class RootSetup {
    private static final Logger log = LoggerFactory.getLogger(RootSetup.class);

    private RootSetup() {}

    public static void run(String root, List<SetupOp> steps) {
        int umask = LinuxLibc.umask(0); // modes as given, whatever umask the caller had
        try {
            steps(root, steps);
        } catch (SyscallException e) {
            throw e.diskFull()
                    ? e.withHint("the sandbox root's file system is full: free some space, or put the root elsewhere "
                            + "with --tmpdir DIR") : e;
        } finally {
            LinuxLibc.umask(umask);
        }
    }

    private static void steps(String root, List<SetupOp> steps) {
        for (SetupOp op : steps) {
            String path = op.path().equals("/") ? root : root + op.path();
            switch (op.kind()) {
                case MKDIR -> Sys.mkdirs(path, op.mode());
                case WRITE_FILE -> Sys.createFile(path, op.data().getBytes(StandardCharsets.UTF_8), op.mode());
                case SYMLINK -> Sys.symlink(op.data(), path);
                case CHMOD -> Sys.chmod(path, op.mode());
                case MAKE_PRIVATE -> RootMounts.makeEverythingPrivate();
                case BIND, RBIND, TMPFS, PROC -> RootMounts.mount(op, path);
                case REMOUNT_READ_ONLY -> RootMounts.remountReadOnly(path);
            }
            log.debug("setup: {} {}{}{}", op.kind(), op.source() == null ? "" : op.source() + " -> ", op.path(),
                    op.mode() == 0 ? "" : " 0" + Integer.toOctalString(op.mode()));
        }
    }
}
