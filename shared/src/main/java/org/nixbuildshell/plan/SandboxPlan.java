package org.nixbuildshell.plan;

import java.util.List;

/**
 * Everything init needs to know, decided by the launcher. Init carries it out without policy of its
 * own: set the names, bring up lo, run the setup operations, enter the root, start the command with
 * its settings.
 *
 * @param root       host path of the directory that becomes {@code /}
 * @param hostname   UTS hostname inside
 * @param domainname UTS domain name inside
 * @param loopback   bring up {@code lo} (false when the sandbox shares the host's network)
 * @param profile    the name of the sandbox profile, for logs
 * @param setup      the operations that build the root, in order
 * @param command    what runs in the sandbox
 * @param settings   the process state it starts with; a command joined to the session gets the same
 */
public record SandboxPlan(
        String root,
        String hostname,
        String domainname,
        boolean loopback,
        String profile,
        List<SetupOp> setup,
        Command command,
        ProcessSettings settings) {

    public SandboxPlan {
        setup = List.copyOf(setup);
    }

    /**
     * The command and its surroundings.
     *
     * @param argv     argv[0] is an absolute path inside
     * @param env      the complete environment, NAME=VALUE
     * @param workdir  the working directory, inside
     * @param rcScript text handed to the command on fd 3 (the shell's rc file), or null
     */
    public record Command(List<String> argv, List<String> env, String workdir, String rcScript) {
        public Command {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }
    }
}
