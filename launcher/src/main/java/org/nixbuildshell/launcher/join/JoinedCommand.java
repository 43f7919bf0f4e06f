package org.nixbuildshell.launcher.join;

import static org.nixbuildshell.sys.Linux.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.ChildSpec;
import org.nixbuildshell.spawn.CommandStart;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command in a sandbox that another session started: the clone child enters init's namespaces
 * and root (see {@link ChildSpec#joinFds}) and starts the command the one way every command in the
 * sandbox starts ({@link CommandStart}), with the session's process settings. While it runs it holds
 * a shared lock on the sandbox's root, so the session lives on until it ends (init's SessionLifetime).
 */
public final class JoinedCommand {
    private static final Logger log = LoggerFactory.getLogger(JoinedCommand.class);
    private static final String[] NAMESPACES = {"user", "mnt", "pid", "net", "uts", "ipc"};
    private static final long READY_TIMEOUT_NANOS = 60_000_000_000L;

    private JoinedCommand() {}

    /**
     * The session ended between the decision to join it and the join (its command was short): the
     * caller starts a sandbox of its own instead.
     */
    public static final class SessionEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SessionEnded(int initPid, String how) {
            super("the session of init " + initPid + " ended before we could join it (" + how + ")", null, false, false);
        }
    }

    private static boolean alive(int initPid) {
        return Files.exists(Path.of("/proc/" + initPid + "/ns/pid"));
    }

    /**
     * Runs the command in the sandbox of {@code initPid} (ready: {@link #awaitRoot}); returns its
     * shell-style status.
     *
     * @param settings the session's process settings (what its command started with)
     */
    public static int run(int initPid, SandboxPlan.Command command, ProcessSettings settings) {
        List<Integer> open = new ArrayList<>();
        try {
            int[] fds = new int[7];
            for (int i = 0; i < NAMESPACES.length; i++) {
                fds[i] = sameAsOurs(initPid, NAMESPACES[i]) ? -1 : Sys.openReadOnly("/proc/" + initPid + "/ns/" + NAMESPACES[i], 0);
                if (fds[i] >= 0) {
                    open.add(fds[i]);
                }
            }
            fds[6] = Sys.openReadOnly("/proc/" + initPid + "/root", O_DIRECTORY | O_CLOEXEC);
            open.add(fds[6]);
            if (!Sys.tryFlock(fds[6], false, "the sandbox's root")) {
                throw new SessionEnded(initPid, "it is ending");
            }
            int pid = CommandStart.spawn(command, settings, fds);
            log.info("join: pid {} entered the sandbox of init {}", pid, initPid);
            Signals.install(n -> forward(pid, n));
            while (true) {
                int[] r = Sys.waitpid(pid, 0);
                if (r[0] == -1) {
                    return ExitCodes.INTERNAL;
                }
                if (r[0] == pid && hasEnded(r[1])) {
                    return shellStatus(r[1]);
                }
            }
        } catch (SyscallException e) {
            // a pid namespace whose init is gone takes no new process (ENOMEM), its files are gone (ENOENT)
            if (!alive(initPid) || e.errno() == org.nixbuildshell.sys.Errno.ENOMEM) {
                throw new SessionEnded(initPid, e.getMessage());
            }
            throw new ToolError(ExitCodes.SETUP_FAILED, "cannot join the running session: " + e.getMessage(),
                    "it may have ended just now; run again, or use --new for a separate sandbox", e);
        } finally {
            for (int fd : open) {
                Sys.close(fd); // the last one lets the session end
            }
        }
    }

    /**
     * The session may still be setting up (querying the store, mounting): wait until its init has
     * entered the sandbox's root, which it does once everything is mounted.
     */
    public static void awaitRoot(int initPid, Path root) {
        Path initRoot = Path.of("/proc/" + initPid + "/root");
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            try {
                if (Files.isSameFile(initRoot, root)) {
                    return;
                }
            } catch (IOException e) {
                throw new SessionEnded(initPid, "its init is gone"); // or going: its root cannot be read
            }
            if (!alive(initPid)) {
                throw new SessionEnded(initPid, "its init is gone");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ToolError(ExitCodes.SETUP_FAILED, "the running session on this build (init pid " + initPid
                + ") did not get ready to be joined", "run again, or use --new for a sandbox of your own");
    }

    /** TERM and HUP go to the joined command (the process in the sandbox); a terminal's INT reached it already. */
    private static void forward(int middle, int number) {
        if (number == SIGINT && Sys.inForegroundOfControllingTerminal()) {
            return;
        }
        try {
            for (String child : Files.readString(Path.of("/proc/" + middle + "/task/" + middle + "/children")).trim().split(" ")) {
                if (!child.isEmpty()) {
                    Sys.kill(Integer.parseInt(child), number);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("signal: could not forward {}: {}", number, e.getMessage());
        }
    }

    /** With --share-net there is no net namespace of the sandbox's own: setns to ours would need privileges. */
    private static boolean sameAsOurs(int pid, String ns) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)));
        } catch (IOException e) {
            return false;
        }
    }

}
