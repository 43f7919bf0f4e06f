package org.nixbuildshell.log;

import java.time.Instant;

/**
 * Where start-up time goes, for {@code scripts/bench --phases}: with {@code -Dnbs.phases=T0}
 * (the entry script's start, microseconds since the epoch, set when NBS_PHASES is in the
 * environment) each JVM records named marks on the wall clock, and prints them as one stderr
 * line when it is done: {@code nix-build-shell[phases] TAG NAME=MS ...}, milliseconds since T0.
 * Both JVMs share T0, so init's marks line up with the launcher's. Off (one static check per
 * mark) unless asked for.
 */
public final class Phases {
    public static final String PROPERTY = "nbs.phases";
    private static final String T0 = System.getProperty(PROPERTY);
    private static final StringBuilder marks = T0 == null ? null : new StringBuilder();

    static {
        String exec = System.getProperty(PROPERTY + ".exec"); // when the entry script exec'd java
        if (marks != null && exec != null) {
            append("script", Long.parseLong(exec) - Long.parseLong(T0));
        }
    }

    private Phases() {}

    /** The entry script's start (µs since the epoch), to hand on to init; null when off. */
    public static String origin() {
        return T0;
    }

    /** Records that {@code name} is done, now. */
    public static void mark(String name) {
        if (marks != null) {
            Instant now = Instant.now();
            append(name, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - Long.parseLong(T0));
        }
    }

    private static void append(String name, long micros) {
        synchronized (marks) {
            marks.append(' ').append(name).append('=').append(micros / 1000).append('.').append(micros % 1000 / 100);
        }
    }

    /** Prints the marks of this JVM ({@code tag}: launcher or init). */
    public static void print(String tag) {
        if (marks != null) {
            synchronized (marks) {
                System.err.println("nix-build-shell[phases] " + tag + marks);
                System.err.flush();
            }
        }
    }
}
