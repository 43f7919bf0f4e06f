package org.nixbuildshell.launcher.buildspec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.builddir.EnvVarsFile;
import org.nixbuildshell.launcher.derivation.Derivation;
import org.nixbuildshell.launcher.derivation.DerivationInputs;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.origin.Origin;
import org.nixbuildshell.launcher.origin.OriginFinder;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kept build directory as the target: its copy is /build, its env-vars the
 * environment. Current nixpkgs writes env-vars 0600 as the build user, so an
 * ordinary user cannot read it: then the environment is rebuilt from the
 * build's derivation (found by {@link OriginFinder}, or named with --drv),
 * and only env-vars is replaced in the copy; stdenv's setup,
 * sourced inside, re-creates what the failed phase had exported.
 */
public final class KeptBuild {
    private static final Logger log = LoggerFactory.getLogger(KeptBuild.class);

    private KeptBuild() {}

    /** @param drvOption the derivation named with --drv, or null */
    public static BuildSpec.Kept spec(BuildDir build, Path drvOption, Cancellation cancellation) {
        String given = build.given().toString();
        if (drvOption == null && Files.isReadable(build.envVars())) {
            EnvVars env = EnvVarsFile.read(build);
            String name = env.get("name") != null ? env.get("name") : build.top().getFileName().toString();
            return new BuildSpec.Kept(given, name, build, env, env.get("SHELL"), Map.of(),
                    Inputs.roots(env.storePaths()), null);
        }
        Origin origin = drvOption != null ? new Origin(drvOption, "named with --drv")
                : OriginFinder.system().ofUnreadable(build, drv -> BuildLogFinder.failedPhase(drv, cancellation));
        Path drvPath = origin.drv();
        log.info("build: the environment comes from {} ({})", drvPath, origin.how());
        Derivation drv = DerivationBuild.read(drvPath);
        DerivationBuild.Environment environment = DerivationBuild.environment(drv, sourceRoot(build));
        Map<String, String> files = new LinkedHashMap<>();
        environment.files().forEach((file, text) -> {
            // what the kept directory has and we can read stays as Nix wrote it; env-vars is replaced
            if (file.equals(BuildDir.ENV_VARS) || !Files.isReadable(build.top().resolve(file))) {
                files.put(file, text);
            }
        });
        Set<String> inputs = new LinkedHashSet<>(DerivationInputs.of(drv).roots());
        inputs.addAll(Inputs.roots(environment.env().storePaths()));
        String why = drvOption != null ? "--drv" : "env-vars is not readable (current nixpkgs writes it 0600)";
        String note = "nix-build-shell: " + why + ": the environment was rebuilt from " + drvPath
                + (drvOption != null ? "" : " (found by " + origin.how() + ")")
                + "; stdenv's setup re-creates what the failed phase had exported.";
        return new BuildSpec.Kept(given, drv.name(), build, environment.env(),
                DerivationBuild.shellOf(drv, environment.env(), drvPath), files, inputs, note);
    }

    /**
     * Where the failed phase most likely ran, as env-vars' PWD would have said: the one directory the
     * sources unpacked to (stdenv's unpackPhase and genericBuild's cd), else /build.
     */
    static String sourceRoot(BuildDir build) {
        try (var entries = Files.newDirectoryStream(build.top(), Files::isDirectory)) {
            List<String> dirs = new ArrayList<>();
            entries.forEach(d -> dirs.add(d.getFileName().toString()));
            return dirs.size() == 1 ? "/build/" + dirs.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
