package org.nixbuildshell.launcher.join;

import static org.nixbuildshell.sys.Linux.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.seccomp.NixSeccompFilter;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.spawn.ChildSpec;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command in a sandbox that another session started: the clone child enters init's namespaces
 * and root (see {@link ChildSpec#joinFds}) and runs the plan's command as init's command child
 * would (no capabilities, no new privileges, Nix's seccomp filter, the plan's directory, the rc
 * script on fd 3). It ends when the session ends: init kills everything in its pid namespace.
 */
public final class JoinedCommand {
    private static final Logger log = LoggerFactory.getLogger(JoinedCommand.class);
    private static final String[] NAMESPACES = {"user", "mnt", "pid", "net", "uts", "ipc"};
    private static final int O_DIRECTORY = 0200000;
    private static final long READY_TIMEOUT_NANOS = 60_000_000_000L;

    private JoinedCommand() {}

    /**
     * The session ended between the decision to join it and the join (its command was short): the
     * caller starts a sandbox of its own instead.
     */
    public static final class SessionEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionEnded(int initPid, String how) {
            super("the session of init " + initPid + " ended before we could join it (" + how + ")", null, false, false);
        }
    }

    private static boolean alive(int initPid) {
        return Files.exists(Path.of("/proc/" + initPid + "/ns/pid"));
    }

    /** Runs the command in the sandbox of {@code initPid}; returns its shell-style status. */
    public static int run(int initPid, SandboxPlan plan) {
        awaitCommand(initPid);
        List<Integer> open = new ArrayList<>();
        int rc = -1;
        try {
            int[] fds = new int[7];
            for (int i = 0; i < NAMESPACES.length; i++) {
                fds[i] = sameAsOurs(initPid, NAMESPACES[i]) ? -1 : openPath("/proc/" + initPid + "/ns/" + NAMESPACES[i], 0);
                if (fds[i] >= 0) {
                    open.add(fds[i]);
                }
            }
            fds[6] = openPath("/proc/" + initPid + "/root", O_DIRECTORY);
            open.add(fds[6]);
            ChildSpec spec = ChildSpec.of(plan.argv().get(0), plan.argv(), plan.env())
                    .unprivileged(NixSeccompFilter.program())
                    .in(plan.workdir())
                    .joining(fds);
            if (plan.rcScript() != null) {
                int[] pipe = Sys.pipe(O_CLOEXEC);
                Sys.writeAll(pipe[1], plan.rcScript().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Sys.close(pipe[1]);
                rc = pipe[0];
                spec = spec.passing(rc);
            }
            int pid = CloneSpawner.spawn(spec, p -> { });
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
                Sys.close(fd);
            }
            if (rc >= 0) {
                Sys.close(rc);
            }
        }
    }

    /**
     * The session may still be setting up (querying the store, mounting): its init starts the
     * command only once the root is ready, so wait for init's first child.
     */
    private static void awaitCommand(int initPid) {
        Path tasks = Path.of("/proc/" + initPid + "/task");
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            try (var threads = Files.list(tasks)) {
                // a JVM: the thread that started the command is not the first task
                for (Path task : threads.toList()) {
                    if (!Files.readString(task.resolve("children")).isBlank()) {
                        return;
                    }
                }
                Thread.sleep(50);
            } catch (IOException | java.io.UncheckedIOException e) {
                break; // init is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!alive(initPid)) {
            throw new SessionEnded(initPid, "its init is gone");
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

    private static int openPath(String path, int flags) {
        return Sys.openReadOnly(path, flags);
    }
}
