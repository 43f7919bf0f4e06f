package org.nixbuildshell.init;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nixbuildshell.init.mount.RootMounts;
import org.nixbuildshell.init.mount.RootSetup;
import org.nixbuildshell.init.net.Loopback;
import org.nixbuildshell.init.proc.SessionLifetime;
import org.nixbuildshell.init.proc.Supervisor;
import org.nixbuildshell.seccomp.SeccompCompiler;
import org.nixbuildshell.seccomp.SeccompRules;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.PlanCodec;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Architecture;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID 1 of the sandbox. Started by the launcher as uid 1000 in fresh user,
 * mount, pid, net, uts and ipc namespaces, with every capability of that
 * user namespace in its ambient set. Usage: {@code InitMain FD}: a socket to the launcher, on which the
 * plan arrives (up to end of file) and by which init tells the launcher when the session outlives its
 * command ({@link SessionLifetime}).
 */
public final class InitMain {
    private InitMain() {}

    public static void main(String[] args) throws IOException {
        Phases.mark("main");
        // Started before the launcher has finished preparing: load what setup needs
        // (logging, JNA, the seccomp compiler) while the plan is still being made.
        Architecture.requireSupported(); // the launcher checked too; no wrong system call either way
        Logger log = LoggerFactory.getLogger(InitMain.class);
        Phases.mark("logging");
        LinuxLibc.getpid();
        SeccompCompiler.compile(SeccompRules.NIX_2_8); // classes only: the plan's rule set is compiled at the start
        CloneSpawner.warmUp();
        Phases.mark("ready");
        int launcher = Integer.parseInt(args[0]);
        byte[] encoded = readPlan(launcher);
        Phases.mark("plan");
        if (encoded.length == 0) {
            System.exit(0); // the launcher gave up before the sandbox ran (an error or a signal it reports)
        }
        SessionLifetime.watchLauncher(launcher);
        SandboxPlan plan = PlanCodec.decode(encoded);
        SessionLifetime session;
        try {
            session = setUp(plan, log, launcher);
        } catch (SyscallException e) {
            log.error("{}{}", e.getMessage(), e.hint() == null ? "" : "\n  hint: " + e.hint(), Logging.tracing() ? e : null);
            SessionLifetime.exit(ExitCodes.SETUP_FAILED);
            return;
        } catch (RuntimeException e) {
            log.error("setting up the sandbox failed: {}", e.getMessage(), Logging.tracing() ? e : null);
            SessionLifetime.exit(ExitCodes.SETUP_FAILED);
            return;
        }
        Phases.mark("mounts");
        Supervisor supervisor = new Supervisor();
        int status = run(supervisor, plan, log);
        Phases.mark("command");
        session.outliveJoinedCommands(status);
        supervisor.killTheRest();
        Phases.print("init");
        SessionLifetime.exit(status);
    }

    /** The session's command, start to end: its shell-style status, or ours when it could not start. */
    private static int run(Supervisor supervisor, SandboxPlan plan, Logger log) {
        try {
            return supervisor.run(plan.command(), plan.settings());
        } catch (SyscallException e) {
            log.error("cannot start the command: {}", e.getMessage(), Logging.tracing() ? e : null);
            return e.call().equals("execve") ? 127 : ExitCodes.SETUP_FAILED;
        } catch (ToolError e) {
            log.error("{}\n  hint: {}", e.getMessage(), e.hint(), Logging.tracing() ? e : null);
            return e.exitCode();
        }
    }

    /**
     * The plan: its length, then its bytes. Empty when the launcher closed the socket first (it gave
     * up, or died). The socket stays open: its end of file later means the launcher died.
     */
    private static byte[] readPlan(int fd) {
        byte[] length = readFully(fd, 4);
        return length.length < 4 ? new byte[0] : readFully(fd, ByteBuffer.wrap(length).getInt());
    }

    /** Up to {@code count} bytes: fewer at end of file. */
    private static byte[] readFully(int fd, int count) {
        byte[] data = new byte[count];
        int got = 0;
        while (got < count) {
            byte[] part = new byte[Math.min(65536, count - got)];
            int n = Sys.read(fd, part);
            if (n <= 0) {
                return Arrays.copyOf(data, got);
            }
            System.arraycopy(part, 0, data, got, n);
            got += n;
        }
        return data;
    }

    /** The plan's names, network and root, entered; the session's lock held on the root from now on. */
    private static SessionLifetime setUp(SandboxPlan plan, Logger log, int launcher) {
        log.info("init: pid {}, uid {}, gid {}, Nix {}'s sandbox", LinuxLibc.getpid(), LinuxLibc.getuid(),
                LinuxLibc.getgid(), plan.profile());
        Sys.sethostname(plan.hostname());
        Sys.setdomainname(plan.domainname());
        log.debug("uts: hostname {}, domainname {}", plan.hostname(), plan.domainname());
        if (plan.loopback()) {
            Loopback.up();
            log.debug("net: lo up");
        }
        RootSetup.run(plan.root(), plan.setup());
        Phases.mark("setup");
        log.info("setup: {} operations done", plan.setup().size());
        SessionLifetime session = SessionLifetime.open(plan.root(), launcher);
        RootMounts.enterRoot(plan.root());
        log.info("root: {} (pivot_root)", plan.root());
        return session;
    }
}
