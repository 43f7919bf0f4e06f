package org.nixbuildshell.launcher.stdenv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.launcher.builddir.EnvVars;

/**
 * What the tool knows of the build's nixpkgs stdenv.
 *
 * @param setup       whether $stdenv/setup exists (genericBuild, runPhase and the phases)
 * @param failedPhase the phase the build failed in, from Nix's log, or null when unknown
 * @param phaseDump   env-vars is what stdenv's dumpVars wrote when the failed phase started (a kept,
 *                    readable env-vars), sourced again after the setup; false when it is the builder's
 *                    initial environment (a derivation target, an env-vars rebuilt from the derivation),
 *                    which the setup must build on, as in the builder
 */
public record Stdenv(boolean setup, String failedPhase, boolean phaseDump) {
    public static final Stdenv NONE = new Stdenv(false, null, true);

    /** Nix's stdenv leaves $stdenv/setup, which defines genericBuild and the phases. */
    public static boolean hasSetup(EnvVars env) {
        String stdenv = env.get("stdenv");
        return stdenv != null && stdenv.startsWith("/nix/store/") && Files.isRegularFile(Path.of(stdenv, "setup"));
    }

    /** The bash functions of phase-state.sh, put into the scripts run inside. */
    public static String phaseStateFunctions() {
        return Texts.PHASE_STATE;
    }

    /** The interactive shell's exit override, catch-exit.sh. */
    public static String catchExit() {
        return Texts.CATCH_EXIT;
    }

    /** Read once, on first use (the launcher's warm-up thread reads them ahead: launcher/WarmUp). */
    private static final class Texts {
        static final String PHASE_STATE = resource("phase-state.sh");
        static final String CATCH_EXIT = resource("catch-exit.sh");
    }

    private static String resource(String name) {
        try (InputStream in = Stdenv.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the launcher's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
