package org.nixbuildshell.launcher.workcopy;

import static org.nixbuildshell.launcher.derivation.BuilderEnvironment.BUILD_TOP;
import static org.nixbuildshell.launcher.derivation.BuilderEnvironment.inBuildTop;

import java.io.IOException;
import java.nio.file.Path;
import org.nixbuildshell.launcher.run.RootFacts;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/** {@code nix-build-shell --diff BUILD_DIR}: the working copy's changes as a patch on stdout; status 0. */
public final class DiffCommand {
    private DiffCommand() {}

    public static int run(BuildSpec build, Path tmpdirOption) throws IOException {
        if (!(build instanceof BuildSpec.Kept kept)) {
            throw new ToolError(ExitCodes.USAGE, "--diff compares a working copy with its kept build directory; "
                    + build.given() + " is not one", "name the directory Nix kept ('nix-build --keep-failed')");
        }
        WorkCopy copy = WorkCopy.at(CacheDir.of(tmpdirOption), CopyKey.of(kept.source()));
        if (!copy.isComplete()) {
            System.err.println("nix-build-shell: no working copy of " + build.given()
                    + " (none was made, or nothing was changed in it): no changes");
            return 0;
        }
        Manifest.Changes changes;
        try {
            changes = copy.changes();
        } catch (IOException e) {
            throw new ToolError(ExitCodes.COPY_FAILED, "the working copy at " + copy.dir() + " is damaged: " + e.getMessage(),
                    "start over from the kept directory with --fresh (what was changed in the copy is lost)");
        }
        String root = sourceRoot(build.env().get("PWD"), copy.root());
        int n = new PatchWriter(kept.source(), copy.build(), root).write(changes, System.out, System.err);
        System.err.println("nix-build-shell: " + n + " file(s) in the patch, relative to "
                + inBuildTop(root) + " (apply with patch -p1)");
        return 0;
    }

    /**
     * Where the build failed, relative to /build ("" for /build itself): the directory the command
     * would start in, by the planner's own rule for env-vars' $PWD.
     */
    static String sourceRoot(String pwd, Path copyRoot) {
        String dir = RootFacts.workdir(pwd, copyRoot);
        return dir.equals(BUILD_TOP) ? "" : dir.substring(BUILD_TOP.length() + 1);
    }
}
