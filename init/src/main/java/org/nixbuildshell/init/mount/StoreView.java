package org.nixbuildshell.init.mount;

import static org.nixbuildshell.sys.Linux.AT_RECURSIVE;
import static org.nixbuildshell.sys.Linux.MOUNT_ATTR_RDONLY;
import static org.nixbuildshell.sys.Linux.MS_BIND;

import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.plan.MountOp;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's /nix/store with the build's inputs ({@link MountOp.Kind#STORE_VIEW} and the read-only
 * binds that follow it under its target). The mount points are made on a tmpfs, so nothing is written to
 * or removed from the disk for them, and they vanish with the sandbox's mount namespace; the binds become
 * read-only together, with one mount_setattr(2) over the view. The tmpfs itself stays writable, as Nix's
 * store directory is: a build creates its outputs there.
 *
 * <p>Per path that is a mkdir in memory and one bind, where {@link RootMounts} does a stat, a mkdir on
 * disk, the bind, a statvfs and a remount (and the launcher removes the directory afterwards). On a
 * kernel without mount_setattr (before 5.12: ENOSYS), or under a seccomp filter that refuses it (EPERM),
 * each bind is remounted read-only as RootMounts does.
 */
public final class StoreView {
    private static final Logger log = LoggerFactory.getLogger(StoreView.class);
    /** A test knob: behave as on a kernel without mount_setattr, so the fallback is tested here too. */
    static final String NO_SETATTR_PROPERTY = "nbs.mount.noSetattr";

    private final String root;
    /** The view's target inside the sandbox (/nix/store), once its tmpfs is mounted. */
    private String target;
    /** Host paths of the binds made, for the per-bind fallback. */
    private final List<String> binds = new ArrayList<>();
    private boolean sealed;

    public StoreView(String root) {
        this.root = root;
    }

    /**
     * Carries out {@code op} when it is the view or one of its binds, and says so; at the first other
     * mount after the view, seals the view first (a later mount under it keeps its own flags).
     */
    public boolean take(MountOp op) {
        if (op.kind() == MountOp.Kind.STORE_VIEW) {
            open(op);
            return true;
        }
        if (target != null && !sealed && op.kind() == MountOp.Kind.BIND && op.readOnly()
                && op.target().startsWith(target + "/")) {
            bind(op.source(), root + op.target());
            return true;
        }
        seal();
        return false;
    }

    private void open(MountOp op) {
        String host = root + op.target();
        Sys.mount("tmpfs", host, "tmpfs", 0, "mode=" + Integer.toOctalString(op.mode()) + ",size=50%");
        target = op.target();
        log.debug("mount: store view: tmpfs on {}", target);
    }

    /** A directory for a directory; for a file (ENOTDIR from the bind), an empty file instead. */
    private void bind(String source, String point) {
        Sys.mkdirs(point, 0755);
        try {
            Sys.mount(source, point, null, MS_BIND, null);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new SyscallException("stat", source, Errno.ENOENT); // as RootMounts says it
            }
            if (e.errno() != Errno.ENOTDIR) {
                throw e;
            }
            Sys.rmdir(point);
            Sys.createFile(point, new byte[0], 0644);
            Sys.mount(source, point, null, MS_BIND, null);
        }
        binds.add(point);
    }

    /** The view's binds read-only, at once; a no-op before the view or once done. */
    public void seal() {
        if (target == null || sealed) {
            return;
        }
        sealed = true;
        if (binds.isEmpty()) {
            return;
        }
        String host = root + target;
        try {
            if (Boolean.getBoolean(NO_SETATTR_PROPERTY)) {
                throw new SyscallException("mount_setattr", host + " (" + NO_SETATTR_PROPERTY + ")", Errno.ENOSYS);
            }
            Sys.mountSetattr(host, AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0);
            Sys.mountSetattr(host, 0, 0, MOUNT_ATTR_RDONLY); // the tmpfs itself stays writable
            log.debug("mount: store view: {} binds read-only (mount_setattr)", binds.size());
        } catch (SyscallException e) {
            // ENOSYS: an older kernel; EPERM: a container's seccomp filter that does not know the call
            // (a real refusal comes back from the remounts, with their own message)
            if (e.errno() != Errno.ENOSYS && e.errno() != Errno.EPERM) {
                throw e;
            }
            for (String bind : binds) {
                RootMounts.remountReadOnly(bind);
            }
            log.debug("mount: store view: {} binds remounted read-only (no mount_setattr)", binds.size());
        }
    }
}
