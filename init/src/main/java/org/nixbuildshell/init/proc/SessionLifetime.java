package org.nixbuildshell.init.proc;

import static org.nixbuildshell.sys.Linux.*;

import java.nio.ByteBuffer;
import org.nixbuildshell.sys.Sys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the sandbox lives: until the last attached command ends. The session's own command is
 * init's child; a command joined from another terminal holds a shared flock(2) on the sandbox's root
 * directory for as long as it runs (the joining launcher takes it, see launcher/join/JoinedCommand).
 * When init's command ends, init takes the lock exclusively: at once when nobody joined, and the
 * session ends as before; else init tells its launcher the command's status (the launcher returns it
 * and exits, the terminal is free), stops ending with the launcher ({@link #watchLauncher}), and waits for the lock. A run that
 * wants to join while init holds it exclusively finds the session ending and starts its own.
 */
public final class SessionLifetime {
    private static final Logger log = LoggerFactory.getLogger(SessionLifetime.class);

    /** Set once init tells its launcher it goes on without it: the launcher's end of file is no death then. */
    private static volatile boolean outlivingLauncher;
    /** Set when init exits: the watcher's end of file is ours ({@link #exit}). */
    private static volatile boolean exiting;
    private static int watched = -1;

    private final int rootFd;
    private final int launcher;

    private SessionLifetime(int rootFd, int launcher) {
        this.rootFd = rootFd;
        this.launcher = launcher;
    }

    /**
     * Instead of dying with the launcher (a JVM cannot undo PR_SET_PDEATHSIG on its first thread):
     * the launcher never writes after the plan, so end of file on its socket means it died, and the
     * sandbox ends at once, as it would with it, unless the session already outlives it.
     */
    public static void watchLauncher(int launcherSocket) {
        Thread watcher = new Thread(() -> {
            byte[] one = new byte[1];
            try {
                while (Sys.read(launcherSocket, one) > 0) {
                    // nothing is sent this way
                }
            } catch (RuntimeException e) {
                // an error is an end too
            }
            if (!outlivingLauncher && !exiting) {
                Runtime.getRuntime().halt(128 + SIGKILL); // pid 1 gone: the kernel kills the rest of the sandbox
            }
        }, "launcher-watch");
        watcher.setDaemon(true);
        watched = launcherSocket;
        watcher.start();
    }

    /**
     * Init's exit. The watcher's read is woken first: HotSpot's exit waits up to 300 ms for threads
     * still in native code (UserThreadWaitAttemptsAtExit), which a read blocked on the socket is.
     */
    public static void exit(int status) {
        exiting = true;
        if (watched >= 0) {
            try {
                Sys.shutdownRead(watched);
            } catch (RuntimeException e) {
                // the launcher's end is gone already: nothing blocks
            }
        }
        System.exit(status);
    }

    /** Opens the root (before init enters it: the same directory the joining runs open through /proc). */
    public static SessionLifetime open(String root, int launcherSocket) {
        return new SessionLifetime(Sys.openReadOnly(root, O_DIRECTORY | O_CLOEXEC), launcherSocket);
    }

    /** Returns when no joined command runs any more, and none can join. */
    public void outliveJoinedCommands(int status) {
        if (Sys.tryFlock(rootFd, true, "the sandbox's root")) {
            return;
        }
        outlivingLauncher = true;
        try {
            Sys.writeAll(launcher, ByteBuffer.allocate(4).putInt(status).array());
        } catch (RuntimeException e) {
            log.debug("session: the launcher is gone ({})", e.getMessage());
        }
        log.info("session: the command ended with status {}; waiting for the commands joined from other terminals",
                status);
        Sys.flock(rootFd, true, "the sandbox's root");
        log.info("session: the last joined command ended");
    }
}
