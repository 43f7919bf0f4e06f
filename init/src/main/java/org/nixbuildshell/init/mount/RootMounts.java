package org.nixbuildshell.init.mount;

import static org.nixbuildshell.sys.Linux.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.nixbuildshell.plan.SetupOp;
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

    private RootMounts() {}

    /** Stop our mounts from propagating back to the host (and the host's into us). */
    public static void makeEverythingPrivate() {
        Sys.mount("none", "/", null, MS_REC | MS_PRIVATE, null);
        log.debug("mount: / made private (MS_REC|MS_PRIVATE)");
    }

    /** A mount the plan names, at {@code target} (the host path of its place in the root). */
    public static void mount(SetupOp op, String target) {
        switch (op.kind()) {
            case BIND, RBIND -> {
                makeMountPoint(Path.of(op.source()), Path.of(target), op.mode());
                long recursive = op.kind() == SetupOp.Kind.RBIND ? MS_REC : 0;
                Sys.mount(op.source(), target, null, MS_BIND | recursive, null);
                if (op.readOnly()) {
                    remountReadOnly(target);
                }
            }
            case TMPFS -> {
                Sys.mkdirs(target, op.mode());
                Sys.mount("tmpfs", target, "tmpfs", 0, op.data());
            }
            case PROC -> {
                Sys.mkdirs(target, op.mode());
                try {
                    Sys.mount("proc", target, "proc", 0, null);
                } catch (SyscallException e) {
                    throw e.withHint("the kernel refuses a new /proc when the host's /proc is partly hidden "
                            + "(as in some containers); run nix-build-shell on a host with a fully visible /proc");
                }
            }
            default -> throw new IllegalArgumentException(op.kind() + " is not a mount");
        }
    }

    /**
     * Remount a bind read-only. In a user namespace the flags the original
     * mount has (nosuid, nodev, noexec, atime) are locked: repeat them or the
     * kernel says EPERM.
     */
    public static void remountReadOnly(String target) {
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
    public static void enterRoot(String root) {
        Sys.chdir(root);
        Sys.pivotRoot(".", ".");
        Sys.umount(".", MNT_DETACH);
        Sys.chroot(".");
        Sys.chdir("/");
        log.debug("root: pivot_root into {}, old root detached", root);
    }

    /**
     * A directory for a directory, an empty file for anything else (a file or a device node), with the
     * plan's mode (a file without the x bits); missing parents get the same mode.
     */
    private static void makeMountPoint(Path source, Path target, int mode) {
        if (!Files.exists(source)) {
            throw new SyscallException("stat", source.toString(), Errno.ENOENT);
        }
        if (Files.isDirectory(source)) {
            Sys.mkdirs(target.toString(), mode);
            return;
        }
        Sys.mkdirs(target.getParent().toString(), mode);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Sys.createFile(target.toString(), new byte[0], mode & 0666);
        }
    }
}
