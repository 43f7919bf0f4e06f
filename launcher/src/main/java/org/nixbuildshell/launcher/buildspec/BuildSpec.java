package org.nixbuildshell.launcher.buildspec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;

/**
 * What the build is, whichever target named it: one record per producer, a kept build directory
 * ({@link Kept}, made by {@link KeptBuild}) or a derivation before any build ({@link Fresh}, made by
 * {@link DerivationBuild}). The sandbox is planned from this and the request alone.
 */
public sealed interface BuildSpec {
    /** What the user named, for messages. */
    String given();

    /** The derivation's name, for the banner. */
    String name();

    /** The environment the shell starts from (what /build/env-vars holds). */
    EnvVars env();

    /** The bash the command runs in. */
    String shell();

    /** Files written into the copy of /build after the copy (name → contents). */
    Map<String, String> files();

    /** Store paths whose closure the sandbox gets. */
    Set<String> inputs();

    /** One line for the banner about where the environment came from, or null. */
    String note();

    /**
     * A fixed-output derivation (it names its output's hash: a fetch): Nix gives it the host's network,
     * and a resolver's files in /etc instead of its generated /etc/hosts.
     */
    default boolean fixedOutput() {
        return env().get("outputHash") != null;
    }

    /**
     * A kept build directory: its copy is /build (a working copy that lasts across runs), and its
     * name and contents lead to Nix's build log, which names the failed phase.
     */
    record Kept(String given, String name, BuildDir dir, EnvVars env, String shell, Map<String, String> files,
                Set<String> inputs, String note) implements BuildSpec {
        public Kept {
            files = Map.copyOf(files);
            inputs = Set.copyOf(inputs);
        }

        /** The directory copied to /build. */
        public Path source() {
            return dir.top();
        }
    }

    /** A derivation before any build: /build starts empty but for what Nix writes there; nothing lasts. */
    record Fresh(String given, String name, EnvVars env, String shell, Map<String, String> files,
                 Set<String> inputs) implements BuildSpec {
        public Fresh {
            files = Map.copyOf(files);
            inputs = Set.copyOf(inputs);
        }

        @Override
        public String note() {
            return null;
        }
    }
}
