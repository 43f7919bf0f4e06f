package org.nixbuildshell.launcher.rootfs;

import java.nio.file.Path;

/**
 * A directory of the tool's that holds a sandbox root: {@code DIR/root} becomes
 * {@code /}, {@code DIR/root/build} is the copy at /build; beside them, the
 * tool's own markers. Temp roots and working copies are laid out alike.
 */
public interface RootLayout {
    Path dir();

    default Path root() {
        return dir().resolve("root");
    }

    default Path build() {
        return root().resolve("build");
    }
}
