package org.nixbuildshell.launcher.rootfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.nixbuildshell.sys.Sys;

/**
 * The parts of the new root that are plain files and directories, made before
 * init starts: the directories, /etc's three files and /dev's symlinks, with
 * the modes Nix gives them. Mount points are made by init.
 */
public final class Skeleton {
    static final String PASSWD = """
            root:x:0:0:Nix build user:/build:/noshell
            nixbld:x:1000:100:Nix build user:/build:/noshell
            nobody:x:65534:65534:Nobody:/:/noshell
            """;
    static final String GROUP = """
            root:x:0:
            nixbld:!:100:
            nogroup:x:65534:
            """;
    static final String HOSTS = """
            127.0.0.1 localhost
            ::1 localhost
            """;

    private Skeleton() {}

    /** Through {@link Sys}, so a full disk is a SyscallException with ENOSPC, not an IOException. */
    public static void write(Path root) {
        for (String dir : new String[] {"bin", "dev", "etc", "nix/store", "proc", "tmp"}) {
            Sys.mkdirs(root.resolve(dir).toString(), 0755);
        }
        file(root.resolve("etc/passwd"), PASSWD);
        file(root.resolve("etc/group"), GROUP);
        file(root.resolve("etc/hosts"), HOSTS);
        Path dev = root.resolve("dev");
        Sys.symlink("/proc/self/fd", dev.resolve("fd").toString());
        Sys.symlink("/proc/self/fd/0", dev.resolve("stdin").toString());
        Sys.symlink("/proc/self/fd/1", dev.resolve("stdout").toString());
        Sys.symlink("/proc/self/fd/2", dev.resolve("stderr").toString());
        Sys.chmod(root.toString(), 0750);
        Sys.chmod(root.resolve("tmp").toString(), 01777);
        Sys.chmod(root.resolve("nix/store").toString(), 01775);
        Sys.chmod(root.resolve("proc").toString(), 0555);
    }

    private static void file(Path path, String content) {
        Sys.createFile(path.toString(), content.getBytes(StandardCharsets.UTF_8), 0644);
    }
}
