package org.nixbuildshell.launcher.buildspec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;

/**
 * What the build is, whichever target named it: a kept build directory
 * ({@link KeptBuild}) or a derivation ({@link DerivationBuild}). The sandbox
 * is planned from this and the request alone.
 *
 * @param given   what the user named, for messages
 * @param name    the derivation's name, for the banner
 * @param kept    the kept directory, when the target is one (its name leads to Nix's build log), else null
 * @param source  the directory copied to /build, or null: /build starts empty, as for a new build
 * @param env     the environment the shell starts from (what /build/env-vars holds)
 * @param shell   the bash the command runs in
 * @param files   files written into the copy of /build after the copy (name → contents)
 * @param inputs  store paths whose closure the sandbox gets
 * @param note    one line for the banner about where the environment came from, or null
 */
public record BuildSpec(String given, String name, BuildDir kept, Path source, EnvVars env, String shell,
                        Map<String, String> files, Set<String> inputs, String note) {

    public BuildSpec {
        files = Map.copyOf(files);
        inputs = Set.copyOf(inputs);
    }
}
