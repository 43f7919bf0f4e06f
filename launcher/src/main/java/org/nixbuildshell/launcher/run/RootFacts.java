package org.nixbuildshell.launcher.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.derivation.BuilderEnvironment;

/**
 * What the planner must know of the prepared root, read once from the disk before planning.
 *
 * @param root            host path of the sandbox root
 * @param structuredAttrs whether /build holds {@code .attrs.sh} (the build uses structured attrs)
 * @param workdir         where the command starts, inside ({@link #workdir(String, Path)})
 */
public record RootFacts(Path root, boolean structuredAttrs, String workdir) {

    /** The facts of {@code root}, whose /build is the copy of {@code build}'s directory. */
    public static RootFacts read(Path root, BuildSpec build) {
        return new RootFacts(root, Files.isRegularFile(root.resolve("build/.attrs.sh")),
                workdir(build.env().get("PWD"), root));
    }

    /**
     * Where the failed phase ran: $PWD when it lies inside /build (and is still there), else /build.
     * Normalised first: "/build/.." is "/", outside.
     */
    public static String workdir(String pwd, Path root) {
        if (pwd == null || !pwd.startsWith("/")) {
            return BuilderEnvironment.BUILD_TOP;
        }
        Path dir = Path.of(pwd).normalize();
        if (dir.startsWith(BuilderEnvironment.BUILD_TOP) && Files.isDirectory(root.resolve(dir.toString().substring(1)))) {
            return dir.toString();
        }
        return BuilderEnvironment.BUILD_TOP;
    }
}
