package org.nixbuildshell.launcher.cancel;

import java.util.function.Supplier;

/**
 * Preparation started ahead of when its result is needed, on a thread of its own: a query of
 * Nix ({@code nix-store}) mostly waits for another process, so it runs while the launcher copies
 * the build and init's JVM boots. {@link #get} returns the result, or rethrows what the work threw
 * (a {@link Cancellation.Cancelled}, a ToolError) in the caller's thread.
 */
public final class Ahead<T> {
    private final Thread thread;
    private T result;
    private RuntimeException failure;

    private Ahead(Supplier<T> work, String name) {
        thread = new Thread(() -> {
            try {
                result = work.get();
            } catch (RuntimeException e) {
                failure = e;
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts {@code work} now. */
    public static <T> Ahead<T> start(String name, Supplier<T> work) {
        Ahead<T> ahead = new Ahead<>(work, name);
        ahead.thread.start();
        return ahead;
    }

    /** Waits for the work; its result, or what it threw. */
    public T get() {
        settle();
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /**
     * Waits for the work and ignores its outcome: on the way out after an error, so that no
     * child process of ours outlives the launcher. Null is allowed.
     */
    public static void settle(Ahead<?> ahead) {
        if (ahead != null) {
            ahead.settle();
        }
    }

    private void settle() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
