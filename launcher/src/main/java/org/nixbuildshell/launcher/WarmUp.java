package org.nixbuildshell.launcher;

import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.spawn.Signals;

/**
 * What the launcher's later steps need that costs time once per JVM, made ready on a thread of its
 * own while the main thread reads the build, finds the working copy and plans. JNA's set-up is the
 * bulk: about 30 ms even with an AOT cache (its java.util.logging logger, its FFI type structures,
 * an annotation proxy; README, Performance). Then the clone child's bindings and the shell texts.
 *
 * <p>No coordination is needed: each piece is a class initialisation, so a main thread that gets
 * there first waits for it (or does it itself), and what fails here fails again, with its cause,
 * where the main thread needs it.
 */
final class WarmUp {
    private WarmUp() {}

    static void start() {
        Thread thread = new Thread(WarmUp::run, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            Signals.ignoreQuit(); // the first native call: JNA and our libc bindings
            CloneSpawner.warmUp();
            Stdenv.phaseStateFunctions();
        } catch (RuntimeException | LinkageError e) {
            // the main thread meets it again, where it can say what went wrong
        }
    }
}
