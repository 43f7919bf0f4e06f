package org.nixbuildshell.launcher.run;

import static org.nixbuildshell.sys.Linux.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.PlanCodec;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.ChildSpec;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Errno;
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
    private volatile boolean running;
    private int initLink = -1;
    private boolean planSent;
    private volatile int forcedBy;
    private boolean forcedEndScheduled;

    public Sandbox(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /**
     * Catch INT, TERM and HUP from now on: cancel preparation, or forward to init. Java's handlers
     * only: SIGQUIT is ignored by the warm-up thread once JNA is ready (launcher/WarmUp).
     */
    public void installSignalHandlers() {
        Signals.catchTerminating(this::onSignal);
    }

    private void onSignal(int number) {
        int pid = initPid;
        if (!running || pid <= 0) {
            cancellation.cancel(number); // still preparing: stop, clean up, exit 128+N
            return;
        }
        // A Ctrl-C from the terminal reached the whole foreground group, init included, which passes it
        // on. Which terminal: the controlling one, even when stdin is redirected from elsewhere.
        if (number == SIGINT && Sys.inForegroundOfControllingTerminal()) {
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

    /**
     * After the grace period, SIGKILL init if it is still the same running init. A plain daemon
     * thread, not an executor: nothing to shut down when init ends first (waitForInit clears
     * initPid, so the thread then does nothing), and so no race between scheduling and shutdown.
     */
    private synchronized void scheduleForcedEnd(int pid, int signal) {
        if (forcedEndScheduled) {
            return;
        }
        forcedEndScheduled = true;
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            } catch (InterruptedException e) {
                return;
            }
            if (initPid == pid) {
                log.info("signal: the sandbox is still running {} s after SIG{}; killing it", GRACE_SECONDS, signal);
                forcedBy = signal;
                Sys.kill(pid, SIGKILL);
            }
        }, "sandbox-escalation");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Clone init into its namespaces now, so that its JVM boots while the
     * launcher copies the build and queries the store; init waits for the plan
     * on a pipe ({@link #run}). Until the plan is sent, signals cancel the
     * preparation instead of being forwarded.
     */
    public void start(boolean newNetwork, String logLevel, long startMillis, SandboxUser user) {
        long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC
                | (newNetwork ? CLONE_NEWNET : 0);
        List<String> argv = InitCommand.argv(logLevel, startMillis);
        int[] link = Sys.socketpair(); // the plan goes to init; a lingering session's status comes back
        // init watches us on the socket, instead of dying with us: a session outlives its launcher
        // while commands joined from other terminals run (see init's SessionLifetime)
        ChildSpec spec = ChildSpec.of(argv.get(0), argv, List.of("LC_ALL=C.UTF-8")).inNewNamespaces(flags)
                .outlivingParent().passing(link[0]);
        if (user.sudo()) {
            spec = spec.becoming(IdMaps.SANDBOX_UID, IdMaps.SANDBOX_GID);
        }
        int uid = user.uid();
        int gid = user.gid();
        try {
            initPid = CloneSpawner.spawn(spec, child -> IdMaps.write(child, user));
        } catch (SyscallException e) {
            Sys.close(link[1]);
            throw explain(e);
        } catch (RuntimeException e) {
            Sys.close(link[1]);
            throw e;
        } finally {
            Sys.close(link[0]);
        }
        initLink = link[1];
        log.info("clone: init is pid {} (uid 1000 -> {}, gid 100 -> {}), waiting for the plan", initPid, uid, gid);
    }

    /** Init's pid (in our pid namespace) once started, else 0. */
    public int initPid() {
        return initPid;
    }

    /**
     * Send the plan and wait for the command; returns its status. When commands joined from other
     * terminals still run as it ends, init says so and the session outlives us (see init's
     * SessionLifetime): we return at once, and the sandbox ends with the last of them.
     */
    public int run(SandboxPlan plan) {
        cancellation.check();
        TerminalForeground terminal = TerminalForeground.remember();
        int pid = initPid;
        try {
            byte[] encoded = PlanCodec.encode(plan);
            Sys.writeAll(initLink, ByteBuffer.allocate(4 + encoded.length).putInt(encoded.length).put(encoded).array());
            planSent = true; // the socket stays open: init ends the sandbox when it reads end of file (we died)
        } catch (SyscallException e) {
            // init is gone already (EPIPE): a signal, most likely, that reached it too
            abandon();
            cancellation.check();
            throw new ToolError(ExitCodes.SETUP_FAILED, "init ended before it got the sandbox plan",
                    "run again with -vv to see why");
        }
        Phases.mark("plan");
        running = true;
        if (cancellation.signal() != 0) {
            forward(pid, cancellation.signal()); // arrived while the plan was on its way: init gets it now
        }
        int lingering = commandStatusWhileJoined();
        int status = lingering >= 0 ? outlivedBy(lingering) : waitForInit(pid);
        Phases.mark("exit");
        terminal.restore();
        log.info("exit: {} with status {}", lingering >= 0 ? "the command ended" : "init ended", status);
        return forcedBy != 0 ? 128 + forcedBy : status;
    }

    /** The command's status when init sends it (the session outlives the command), or -1 when init ended. */
    private int commandStatusWhileJoined() {
        byte[] status = new byte[4];
        int got = 0;
        try {
            while (got < 4) {
                byte[] part = new byte[4 - got];
                int n = Sys.read(initLink, part);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(part, 0, status, got, n);
                got += n;
            }
        } finally {
            closeInitLink();
        }
        return ByteBuffer.wrap(status).getInt();
    }

    /** Init goes on without us (it no longer dies with us), for the commands joined from other terminals. */
    private int outlivedBy(int status) {
        log.info("session: commands joined from other terminals still run; the sandbox (init pid {}) stays until "
                + "the last of them ends", initPid);
        if (Sys.isatty(0)) {
            System.err.println("nix-build-shell: the sandbox stays up for the commands joined from other terminals,"
                    + " and ends with the last of them");
        }
        initPid = 0; // no forced end, no wait: it is not ours to end any more
        running = false;
        return status;
    }

    /** Preparation failed: init gets no plan (EOF), exits, and is reaped. Safe to call twice. */
    public void abandon() {
        if (!planSent && initLink >= 0) {
            closeInitLink();
            waitForInit(initPid);
        }
    }

    private int waitForInit(int pid) {
        while (true) {
            int[] r = Sys.waitpid(pid, 0);
            if (r[0] == -1 || (r[0] == pid && hasEnded(r[1]))) {
                initPid = 0;
                running = false;
                return r[0] == -1 ? ExitCodes.INTERNAL : shellStatus(r[1]);
            }
        }
    }

    private void closeInitLink() {
        int fd = initLink;
        initLink = -1;
        if (fd >= 0) {
            Sys.close(fd);
        }
    }

    /**
     * Why init could not be started. Only the kernel refusing the namespaces (clone) or their
     * id maps is "no user namespaces" (116), with advice about the sysctls that forbid them;
     * anything else (a pipe, memory) says what failed (118).
     */
    static ToolError explain(SyscallException e) {
        boolean refusal = switch (e.errno()) {
            case Errno.ENOSPC, Errno.EUSERS, Errno.EPERM, Errno.EACCES, Errno.EINVAL -> true;
            default -> false;
        };
        if (refusal && (e.call().equals("clone") || isIdMap(e.argument()))) {
            return new ToolError(ExitCodes.NO_USER_NAMESPACES,
                    "cannot create the sandbox's namespaces: " + e.getMessage(), UserNamespaceAdvice.hint(e.errno()), e);
        }
        return new ToolError(ExitCodes.SETUP_FAILED, "cannot start init: " + e.getMessage(),
                e.hint() != null ? e.hint() : "run again with -vv to see more", e);
    }

    private static boolean isIdMap(String argument) {
        return argument.matches("/proc/[0-9]+/(uid_map|gid_map|setgroups)\\b.*");
    }
}
