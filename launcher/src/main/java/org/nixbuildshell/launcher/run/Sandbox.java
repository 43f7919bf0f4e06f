package org.nixbuildshell.launcher.run;

import static org.nixbuildshell.sys.Linux.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.nixbuildshell.launcher.cli.ExitCodes;
import org.nixbuildshell.launcher.cli.ToolError;
import org.nixbuildshell.launcher.cli.UserNamespaceAdvice;
import org.nixbuildshell.launcher.rootfs.Cancellation;
import org.nixbuildshell.plan.PlanCodec;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.ChildSpec;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs init in new namespaces and waits for it: the launcher's half of the
 * sandbox. Signals sent to the launcher go to init, which passes them on;
 * SIGTERM and SIGHUP end the sandbox by force if it has not ended after a
 * grace period.
 */
public final class Sandbox {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final long GRACE_SECONDS = 3;

    private final Cancellation cancellation;
    private volatile int initPid;
    private volatile int forcedBy;
    private ScheduledExecutorService escalation;

    public Sandbox(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /** Catch INT, TERM and HUP from now on: cancel preparation, or forward to init. */
    public void installSignalHandlers() {
        Signals.install(this::onSignal);
    }

    private void onSignal(int number) {
        int pid = initPid;
        if (pid <= 0) {
            cancellation.cancel(number);
            return;
        }
        // A Ctrl-C from the terminal reached the whole foreground group, the command included.
        if (number == SIGINT && Sys.inForegroundOf(0)) {
            return;
        }
        forward(pid, number);
    }

    private void forward(int pid, int number) {
        log.debug("signal: forwarding signal {} to init (pid {})", number, pid);
        Sys.kill(pid, number);
        if (number == SIGTERM || number == SIGHUP) {
            scheduleForcedEnd(pid, number);
        }
    }

    private synchronized void scheduleForcedEnd(int pid, int signal) {
        if (escalation != null) {
            return;
        }
        escalation = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-escalation");
            t.setDaemon(true);
            return t;
        });
        escalation.schedule(() -> {
            if (initPid == pid) {
                log.info("signal: the sandbox is still running {} s after SIG{}; killing it", GRACE_SECONDS, signal);
                forcedBy = signal;
                Sys.kill(pid, SIGKILL);
            }
        }, GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Write the plan, start init, wait for it; returns the command's status. */
    public int run(SandboxPlan plan, Path planFile, boolean newNetwork) throws IOException {
        Files.write(planFile, PlanCodec.encode(plan));
        cancellation.check();
        long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC
                | (newNetwork ? CLONE_NEWNET : 0);
        List<String> argv = InitCommand.argv(planFile);
        ChildSpec spec = ChildSpec.of(argv.get(0), argv, List.of("LC_ALL=C.UTF-8")).inNewNamespaces(flags);
        int uid = LinuxLibc.getuid();
        int gid = LinuxLibc.getgid();
        TerminalForeground terminal = TerminalForeground.remember();
        int pid;
        try {
            pid = CloneSpawner.spawn(spec, child -> IdMaps.write(child, uid, gid));
        } catch (SyscallException e) {
            throw explain(e);
        }
        initPid = pid;
        log.info("clone: init is pid {} (uid 1000 -> {}, gid 100 -> {})", pid, uid, gid);
        if (cancellation.signal() != 0) {
            forward(pid, cancellation.signal()); // arrived while init was starting: it gets it now
        }
        int status;
        while (true) {
            int[] r = Sys.waitpid(pid, 0);
            if (r[0] == pid && hasEnded(r[1])) {
                status = shellStatus(r[1]);
                break;
            }
        }
        initPid = 0;
        if (escalation != null) {
            escalation.shutdownNow();
        }
        terminal.restore();
        log.info("exit: init ended with status {}", status);
        return forcedBy != 0 ? 128 + forcedBy : status;
    }

    /** Turn a failed clone into advice about the sysctl that forbids it. */
    private static RuntimeException explain(SyscallException e) {
        if (!e.call().equals("clone") && !e.call().equals("write")) {
            return e;
        }
        String hint = switch (e.errno()) {
            case Errno.ENOSPC, Errno.EUSERS, Errno.EPERM, Errno.EACCES, Errno.EINVAL -> UserNamespaceAdvice.hint(e.errno());
            default -> e.hint();
        };
        return new ToolError(ExitCodes.NO_USER_NAMESPACES,
                "cannot create the sandbox's namespaces: " + e.getMessage(), hint, e);
    }
}
