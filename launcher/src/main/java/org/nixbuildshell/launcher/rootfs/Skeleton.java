package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.nio.file.Files;
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

    public static void write(Path root) throws IOException {
        for (String dir : new String[] {"bin", "dev", "etc", "nix/store", "proc", "tmp"}) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("etc/passwd"), PASSWD);
        Files.writeString(root.resolve("etc/group"), GROUP);
        Files.writeString(root.resolve("etc/hosts"), HOSTS);
        Path dev = root.resolve("dev");
        Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
        Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
        Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
        Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
        Sys.chmod(root.toString(), 0750);
        Sys.chmod(root.resolve("tmp").toString(), 01777);
        Sys.chmod(root.resolve("nix/store").toString(), 01775);
        Sys.chmod(root.resolve("proc").toString(), 0555);
    }
}
