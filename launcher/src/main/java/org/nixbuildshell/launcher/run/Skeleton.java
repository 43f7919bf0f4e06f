package org.nixbuildshell.launcher.run;

import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.launcher.profile.SandboxProfile;
import org.nixbuildshell.plan.SetupOp;

/**
 * The parts of the new root that are plain files and directories: the directories, /etc's three files
 * and /dev's symlinks, with the modes the profile's Nix gives them, as the first operations of the plan
 * (mount points are made by the mounts themselves). Contents as Nix writes them in its sandbox.
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

    /** The steps, in order: directories, files, links, then the modes (/etc's last, as it may be read-only). */
    /** What Nix writes for a build with the host's network (a fixed-output derivation), instead of hosts. */
    static final String NSSWITCH = """
            hosts: files dns
            services: files
            """;

    /** @param hostNetwork the build has the host's network: nsswitch.conf, and no generated hosts (the host's is bound) */
    static List<SetupOp> steps(SandboxProfile profile, boolean hostNetwork) {
        List<SetupOp> ops = new ArrayList<>();
        for (String dir : new String[] {"/bin", "/dev", "/etc", "/nix/store", "/proc", "/tmp"}) {
            ops.add(SetupOp.mkdir(dir, 0755));
        }
        ops.add(SetupOp.writeFile("/etc/passwd", PASSWD, 0644));
        ops.add(SetupOp.writeFile("/etc/group", GROUP, 0644));
        ops.add(hostNetwork ? SetupOp.writeFile("/etc/nsswitch.conf", NSSWITCH, 0644)
                : SetupOp.writeFile("/etc/hosts", HOSTS, 0644));
        ops.add(SetupOp.symlink("/proc/self/fd", "/dev/fd"));
        ops.add(SetupOp.symlink("/proc/self/fd/0", "/dev/stdin"));
        ops.add(SetupOp.symlink("/proc/self/fd/1", "/dev/stdout"));
        ops.add(SetupOp.symlink("/proc/self/fd/2", "/dev/stderr"));
        ops.add(SetupOp.chmod("/", profile.rootMode()));
        ops.add(SetupOp.chmod("/tmp", 01777));
        ops.add(SetupOp.chmod("/nix/store", 01775));
        ops.add(SetupOp.chmod("/proc", 0555));
        ops.add(SetupOp.chmod("/etc", profile.etcMode()));
        return ops;
    }
}
