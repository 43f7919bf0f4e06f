package org.nixbuildshell.spawn;

import java.nio.charset.StandardCharsets;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.sys.Sys;

/**
 * The one way a command starts in the sandbox, fed by the plan: init starts the session's command
 * with it, and a launcher that joins a running session starts its command with it, with the
 * session's settings. The command's process state (umask, core limit, personality, no capabilities,
 * no_new_privs, Landlock, seccomp) is set in the cloned child, so both paths give the same.
 */
public final class CommandStart {
    private CommandStart() {}

    /**
     * Starts {@code command} with {@code settings}; returns its pid once it has exec'd.
     *
     * @param join null to start it as our child, or the session's namespaces and root to enter first
     *             (see {@link ChildSpec#joinFds}); the pid is then that of the process waiting for it
     */
    public static int spawn(SandboxPlan.Command command, ProcessSettings settings, int[] join) {
        ChildSpec spec = ChildSpec.of(command.argv().get(0), command.argv(), command.env())
                .with(settings)
                .in(command.workdir());
        if (join != null) {
            spec = spec.joining(join);
        }
        if (!Sys.isatty(0)) {
            // Not reading a terminal: a group of its own, as Bazel's pid 1 gives its command, so that a
            // Ctrl-C reaches it once (from init, which is in the terminal's group) and signals reach
            // everything it started. On a terminal, the command shares the terminal's group (and an
            // interactive shell makes its own groups for its jobs).
            spec = spec.inOwnProcessGroup();
        }
        // the shell reads it as /dev/fd/3
        int rc = command.rcScript() == null ? -1
                : Sys.memfd("nix-build-shell-rc", command.rcScript().getBytes(StandardCharsets.UTF_8));
        try {
            return CloneSpawner.spawn(rc < 0 ? spec : spec.passing(rc), pid -> { });
        } finally {
            if (rc >= 0) {
                Sys.close(rc);
            }
        }
    }
}
