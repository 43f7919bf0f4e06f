package org.nixbuildshell.launcher.builddir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * Finds the directory that was {@code /build} in whatever Nix kept:
 * <ul>
 *   <li>Nix up to 2.23.0: {@code /tmp/nix-build-NAME.drv-N} itself;</li>
 *   <li>Nix 2.23.1 and later: an outer directory holding {@code build/};</li>
 *   <li>Lix: an outer directory holding {@code b/};</li>
 *   <li>any symlink to one of those (followed).</li>
 * </ul>
 */
public final class BuildDirLocator {
    private BuildDirLocator() {}

    public static BuildDir locate(Path given) {
        return locate(given, false);
    }

    /**
     * @param withoutEnvVars accept a directory with no env-vars at all (its environment will come from
     *                       the derivation, --drv): the inner directory of the newer layouts, else itself
     */
    public static BuildDir locate(Path given, boolean withoutEnvVars) {
        Path dir;
        try {
            dir = given.toRealPath();
        } catch (IOException e) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, "build directory " + given + " does not exist",
                    "pass the directory named by Nix's 'note: keeping build directory ...' line");
        }
        if (!Files.isDirectory(dir)) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, given + " is not a directory",
                    "pass the directory named by Nix's 'note: keeping build directory ...' line");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, "cannot read the build directory " + given,
                    "Nix leaves it owned by a build user; make it readable, e.g. sudo chmod -R a+rX " + given);
        }
        for (Path candidate : new Path[] {dir, dir.resolve("build"), dir.resolve("b")}) {
            if (Files.exists(candidate.resolve("env-vars"))) {
                return checked(given, candidate);
            }
        }
        for (Path inner : new Path[] {dir.resolve("build"), dir.resolve("b")}) {
            if (Files.isDirectory(inner) && !Files.isReadable(inner)) {
                throw new ToolError(ExitCodes.NO_BUILD_DIR, "cannot read " + inner,
                        "Nix leaves it owned by a build user; make it readable, e.g. sudo chmod -R a+rX " + dir);
            }
        }
        if (withoutEnvVars) {
            for (Path inner : new Path[] {dir.resolve("build"), dir.resolve("b")}) {
                if (Files.isDirectory(inner)) {
                    return checked(given, inner);
                }
            }
            return checked(given, dir);
        }
        throw new ToolError(ExitCodes.NO_ENV_VARS, given + " has no env-vars file",
                "is this a directory kept by 'nix-build --keep-failed'? stdenv writes env-vars when a phase starts; "
                        + "for a build that failed before, name its derivation with --drv /nix/store/...drv");
    }

    /** env-vars may be unreadable (current nixpkgs writes it 0600): the caller decides what then. */
    private static BuildDir checked(Path given, Path top) {
        return new BuildDir(given, top, top.resolve(BuildDir.ENV_VARS));
    }
}
