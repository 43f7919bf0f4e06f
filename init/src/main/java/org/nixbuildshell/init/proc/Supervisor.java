package org.nixbuildshell.init.proc;

import static org.nixbuildshell.sys.Linux.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.CommandStart;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.sys.Sys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID 1's job once the command runs: forward signals to it, reap every
 * process that ends (orphans are re-parented to us), report its status, and
 * when the session ends ({@link SessionLifetime}) kill whatever is left.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final AtomicInteger commandPid = new AtomicInteger();

    /** Start the command with its settings and supervise it; returns its shell-style exit status. */
    public int run(SandboxPlan.Command command, ProcessSettings settings) {
        // Install handlers first: a PID 1 without a handler never sees the signal.
        Signals.install(this::forward, "USR1", "USR2", "CONT");
        int pid = CommandStart.spawn(command, settings, null);
        Phases.mark("exec");
        commandPid.set(pid);
        log.info("exec: command started as pid {}: {}", pid, log.isDebugEnabled() ? command.argv() : brief(command));
        int status = reapUntilCommandEnds(pid);
        commandPid.set(0);
        return status;
    }

    /** The argv with the multi-line script of {@code $SHELL -c} shortened, for one readable -v line. */
    private static String brief(SandboxPlan.Command command) {
        return command.argv().stream().map(a -> a.contains("\n") ? "<script>" : a).toList().toString();
    }

    /**
     * Pass a signal on to the command's process group when it leads one (its
     * own, or an interactive shell's), else to the command alone. A Ctrl-C
     * from the terminal reached the command already when it shares our group.
     */
    private void forward(int number) {
        int pid = commandPid.get();
        if (pid <= 0) {
            return;
        }
        boolean leader = Sys.processGroupOf(pid) == pid;
        if (number == SIGINT && !leader && Sys.inForegroundOf(0)) {
            return;
        }
        log.debug("signal: forwarding signal {} to {} {}", number, leader ? "process group" : "pid", pid);
        Sys.kill(leader ? -pid : pid, number);
    }

    private static int reapUntilCommandEnds(int pid) {
        while (true) {
            int[] reaped = Sys.waitpid(-1, 0);
            if (reaped[0] == -1) {
                return 255; // no children left, cannot happen while the command lives
            }
            if (reaped[0] == pid && hasEnded(reaped[1])) {
                int status = shellStatus(reaped[1]);
                log.info("exit: command ended with status {}", status);
                return status;
            }
            log.debug("reap: pid {} status {}", reaped[0], reaped[1]);
        }
    }

    /** Everything still running in the sandbox goes when the session ends. */
    public void killTheRest() {
        Sys.kill(-1, SIGKILL);
        int count = 0;
        while (Sys.waitpid(-1, 0)[0] > 0) {
            count++;
        }
        if (count > 0) {
            log.info("exit: killed {} process(es) left behind by the command", count);
        }
    }
}
