package org.nixbuildshell.spawn;

import java.util.function.IntConsumer;
import org.nixbuildshell.sys.Linux;
import org.nixbuildshell.sys.LinuxLibc;
import sun.misc.Signal;

/** Signal dispositions shared by the launcher and init. */
public final class Signals {
    private Signals() {}

    /**
     * Handle SIGINT, SIGTERM and SIGHUP with {@code handler}, and ignore
     * SIGQUIT: the JVM would answer Ctrl-\ with a thread dump on stdout, and
     * stdout belongs to the command (which gets Ctrl-\ from the terminal itself).
     */
    public static void install(IntConsumer handler, String... extra) {
        ignoreQuit();
        catchTerminating(handler, extra);
    }

    /**
     * Only the Java handlers of {@link #install}, which need no native call: the launcher catches
     * these before JNA is ready, and its warm-up thread ignores SIGQUIT once it is.
     */
    public static void catchTerminating(IntConsumer handler, String... extra) {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            Signal.handle(new Signal(name), s -> handler.accept(s.getNumber()));
        }
        for (String name : extra) {
            Signal.handle(new Signal(name), s -> handler.accept(s.getNumber()));
        }
    }

    /** Ignore SIGQUIT in this JVM (a cloned child puts back the default before its execve: CloneSpawner). */
    public static void ignoreQuit() {
        LinuxLibc.signal(Linux.SIGQUIT, Linux.SIG_IGN);
    }
}
