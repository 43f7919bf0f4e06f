package org.nixbuildshell.launcher;

import org.nixbuildshell.launcher.cli.QuickStart;

/**
 * The training run of the class-data archives (scripts/nix-build-shell, train_archives): one
 * recorded launcher JVM that starts a session on the throw-away build and then joins it, so that
 * the archive holds what both paths load and run. Trained on the session alone, a join took
 * about 14 ms longer (README, Performance).
 */
final class Training {
    /** Set by the entry script on the training run only. */
    static final String PROPERTY = "nbs.archive.training";
    /**
     * The session's command: wait, at most 10 s, for the joined command's mark in the sandbox's
     * /tmp, which they share (and which leaves the working copy unchanged, so it is removed). The
     * training's build has only bash: it waits with read's timeout on a pipe it holds both ends of.
     */
    private static final String SESSION =
            "exec 5<> <(:); for ((i = 0; i < 100; i++)); do [[ -e /tmp/.joined ]] && break; read -t 0.1 -u 5; done";
    private static final String JOINED = ": > /tmp/.joined";
    /** Time for the session to clone its init, after which a run joins it (and waits until it is ready). */
    private static final long JOIN_AFTER_MILLIS = 1000;

    private Training() {}

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Runs the session and the join on {@code buildDir}; the first failure's status, or 0. */
    static int run(String buildDir, long startMillis) throws InterruptedException {
        int[] session = new int[1];
        Thread first = new Thread(() -> session[0] = QuickStart.run(new String[] {"-v", buildDir, "eval", SESSION},
                startMillis), "training-session");
        first.start();
        Thread.sleep(JOIN_AFTER_MILLIS);
        int joined = QuickStart.run(new String[] {"-v", buildDir, "eval", JOINED}, startMillis);
        first.join();
        return session[0] != 0 ? session[0] : joined;
    }
}
