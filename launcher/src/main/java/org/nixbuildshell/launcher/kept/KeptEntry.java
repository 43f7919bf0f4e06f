package org.nixbuildshell.launcher.kept;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.nixbuildshell.launcher.builddir.BuildDir;

/**
 * One kept build directory found where Nix keeps them.
 *
 * @param path     what to name as TARGET: the directory Nix kept (the outer one of the newer layouts)
 * @param build    the directory that was /build; null when the caller cannot look inside
 * @param time     when the build last wrote to it
 */
public record KeptEntry(Path path, BuildDir build, FileTime time) {
    public boolean readable() {
        return build != null;
    }
}
