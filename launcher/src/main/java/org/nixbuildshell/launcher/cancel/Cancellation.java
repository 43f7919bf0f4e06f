package org.nixbuildshell.launcher.cancel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A signal that arrives before the sandbox runs (during the copy or the store
 * query, say) stops the preparation: every helper process the launcher started
 * ({@code cp}, {@code nix-store}) is killed with whatever it started, and the
 * next check throws, so the launcher cleans up and exits 128+N.
 */
public final class Cancellation {
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile int signal;

    public void track(Process p) {
        running.add(p);
        if (signal != 0) {
            kill(p);
        }
    }

    /** SIGKILL to a helper and its descendants (a wrapper script's children would outlive a killed parent). */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    public void untrack(Process p) {
        running.remove(p);
    }

    public void cancel(int signalNumber) {
        signal = signalNumber;
        running.forEach(Cancellation::kill);
    }

    public int signal() {
        return signal;
    }

    /** Throws when a signal asked to stop. */
    public void check() {
        if (signal != 0) {
            throw new Cancelled(signal);
        }
    }

    /** Thrown to unwind after a signal; carries the signal number. */
    public static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int signal;

        Cancelled(int signal) {
            super("interrupted by signal " + signal, null, false, false);
            this.signal = signal;
        }

        public int signal() {
            return signal;
        }
    }
}
