package org.nixbuildshell.plan;

import java.util.List;

/**
 * Everything init needs to know, decided by the launcher. Init carries it out
 * without further policy: set the names, bring up lo, run the setup steps,
 * mount, enter the root, apply the profile's process settings, start the
 * command.
 *
 * @param root        host path of the directory that becomes {@code /}
 * @param hostname    UTS hostname inside
 * @param domainname  UTS domain name inside
 * @param loopback    bring up {@code lo} (false when sharing the host network)
 * @param profile     the sandbox of the Nix version that made the build
 * @param personality personality(2) flags for the command: the profile's, plus PER_LINUX32 for i686 builds
 * @param setup       files, directories and links made in the root before the mounts, in order
 * @param mounts      mounts, in order, targets inside the root
 * @param workdir     working directory of the command, inside
 * @param argv        the command; argv[0] is an absolute path inside
 * @param env         the command's complete environment, NAME=VALUE
 * @param rcScript    text handed to the command on fd 3 (the shell's rc file), or null
 */
public record SandboxPlan(
        String root,
        String hostname,
        String domainname,
        boolean loopback,
        SandboxProfile profile,
        int personality,
        List<SetupOp> setup,
        List<MountOp> mounts,
        String workdir,
        List<String> argv,
        List<String> env,
        String rcScript) {

    public SandboxPlan {
        setup = List.copyOf(setup);
        mounts = List.copyOf(mounts);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }
}
