package org.nixbuildshell.init.mount;

import static org.nixbuildshell.sys.Linux.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.nixbuildshell.plan.MountOp;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the sandbox's mount tree under the new root, inside init's private
 * mount namespace: nothing here is visible on the host, and it all goes away
 * with the namespace.
 */
public final class RootMounts {
    private static final Logger log = LoggerFactory.getLogger(RootMounts.class);

    private final String root;

    public RootMounts(String root) {
        this.root = root;
    }

    /** Stop our mounts from propagating back to the host (and the host's into us). */
    public void makeEverythingPrivate() {
        Sys.mount("none", "/", null, MS_REC | MS_PRIVATE, null);
        log.debug("mount: / made private (MS_REC|MS_PRIVATE)");
    }

    /** Make the root a mount of its own, so it can be made read-only at the end. */
    public void bindRootOnItself() {
        Sys.mount(root, root, null, MS_BIND, null);
        log.debug("mount: bind {} on itself", root);
    }

    public void apply(MountOp op) {
        String target = root + op.target();
        switch (op.kind()) {
            case BIND, RBIND -> {
                makeMountPoint(Path.of(op.source()), Path.of(target));
                long recursive = op.kind() == MountOp.Kind.RBIND ? MS_REC : 0;
                Sys.mount(op.source(), target, null, MS_BIND | recursive, null);
                if (op.readOnly()) {
                    remountReadOnly(target);
                }
            }
            case TMPFS -> {
                makeDirectory(Path.of(target));
                Sys.mount("tmpfs", target, "tmpfs", 0,
                        "mode=" + Integer.toOctalString(op.mode()) + ",size=50%");
            }
            case PROC -> {
                makeDirectory(Path.of(target));
                try {
                    Sys.mount("proc", target, "proc", 0, null);
                } catch (SyscallException e) {
                    throw e.withHint("the kernel refuses a new /proc when the host's /proc is partly hidden "
                            + "(as in some containers); run nix-build-shell on a host with a fully visible /proc");
                }
            }
        }
        log.debug("mount: {} {} -> {}{}", op.kind(), op.source(), op.target(), op.readOnly() ? " (read-only)" : "");
    }

    /** The root itself becomes read-only; the mounts on top of it keep their own flags. */
    public void sealRoot() {
        remountReadOnly(root);
        log.debug("mount: / remounted read-only");
    }

    /**
     * Remount a bind read-only. In a user namespace the flags the original
     * mount has (nosuid, nodev, noexec, atime) are locked: repeat them or the
     * kernel says EPERM.
     */
    static void remountReadOnly(String target) {
        long st = Sys.mountFlags(target);
        long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
        if ((st & ST_NOSUID) != 0) flags |= MS_NOSUID;
        if ((st & ST_NODEV) != 0) flags |= MS_NODEV;
        if ((st & ST_NOEXEC) != 0) flags |= MS_NOEXEC;
        if ((st & ST_NOATIME) != 0) flags |= MS_NOATIME;
        if ((st & ST_NODIRATIME) != 0) flags |= MS_NODIRATIME;
        if ((st & ST_RELATIME) != 0) flags |= MS_RELATIME;
        Sys.mount(null, target, null, flags, null);
    }

    /**
     * Make the root {@code /} as Nix's enterChroot does: pivot_root into it with the old root stacked on
     * top, detach the old root, then chroot("."). Afterwards the host's tree is mounted nowhere in this
     * namespace, and the process is not "chrooted" in the kernel's sense, so the command may create user
     * namespaces of its own (under a plain chroot, unshare(CLONE_NEWUSER) is EPERM).
     */
    public void enterRoot() {
        Sys.chdir(root);
        Sys.pivotRoot(".", ".");
        Sys.umount(".", MNT_DETACH);
        Sys.chroot(".");
        Sys.chdir("/");
        log.debug("root: pivot_root into {}, old root detached", root);
    }

    /** A directory for a directory, an empty file for anything else (a file or a device node). */
    private static void makeMountPoint(Path source, Path target) {
        if (!Files.exists(source)) {
            throw new SyscallException("stat", source.toString(), Errno.ENOENT);
        }
        if (Files.isDirectory(source)) {
            makeDirectory(target);
            return;
        }
        makeDirectory(target.getParent());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Sys.createFile(target.toString(), new byte[0], 0644);
        }
    }

    private static void makeDirectory(Path target) {
        Sys.mkdirs(target.toString(), 0755);
    }
}
