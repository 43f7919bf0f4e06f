package org.nixbuildshell.launcher.buildspec;

/** Where Nix puts the build directory inside its sandbox, and so where the copy is. */
public final class BuildTop {
    /** The build directory inside the sandbox: {@code /build}, Nix's sandbox-build-dir. */
    public static final String PATH = "/build";

    private BuildTop() {}
}
