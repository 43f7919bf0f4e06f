package org.nixbuildshell.launcher.builddir;

import java.nio.file.Path;

/**
 * A kept build directory, resolved to the directory that was {@code /build}.
 *
 * @param given   what the user named
 * @param top     the directory that was mounted at /build in the sandbox
 * @param envVars its env-vars file
 */
public record BuildDir(Path given, Path top, Path envVars) {
    public static final String ENV_VARS = "env-vars";

    public Path attrsSh() {
        return top.resolve(".attrs.sh");
    }

    /** Structured attrs as JSON, beside .attrs.sh. */
    public Path attrsJson() {
        return top.resolve(".attrs.json");
    }
}
