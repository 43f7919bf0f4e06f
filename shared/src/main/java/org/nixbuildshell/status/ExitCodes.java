package org.nixbuildshell.status;

import org.nixbuildshell.sys.Architecture;

/**
 * Exit statuses of nix-build-shell. The command's own status passes through
 * (0-255, 128+N when killed by signal N, 126/127 from the shell when the
 * command cannot be run); the tool's own failures use 110-125, chosen to stay
 * clear of the statuses builds and shells commonly return. Both processes use
 * them: init exits with {@link #SETUP_FAILED} when it cannot build the sandbox,
 * and the launcher passes that status on.
 */
public final class ExitCodes {
    public static final int USAGE = 2;
    public static final int UNSUPPORTED_ARCH = Architecture.UNSUPPORTED_STATUS;
    public static final int NO_BUILD_DIR = 111;
    public static final int NO_ENV_VARS = 112;
    public static final int BAD_ENV_VARS = 113;
    public static final int NO_SHELL = 114;
    public static final int SHELL_NOT_IN_STORE = 115;
    public static final int NO_USER_NAMESPACES = 116;
    public static final int COPY_FAILED = 117;
    public static final int SETUP_FAILED = 118;
    public static final int INTERNAL = 119;
    /** A cloned child (init, or the command inside) hung before exec, every time the watchdog tried. */
    public static final int START_HUNG = 120;
    /** A derivation target whose inputs (outputs of other derivations) are not in the store. */
    public static final int INPUTS_MISSING = 121;
    /** Remote builders (ssh://, --on): ssh could not reach the builder. */
    public static final int REMOTE_CONNECT = 122;
    /** ssh reached the builder but could not log in (key, user, host key). */
    public static final int REMOTE_LOGIN = 123;
    /** The builder has no Java 17 or later to run nix-build-shell with. */
    public static final int REMOTE_NO_JAVA = 124;
    /** nix-build-shell could not be copied to the builder. */
    public static final int REMOTE_SHIP_FAILED = 125;

    // The list in --help and the man page is NixBuildShellCommand's exitCodeList (an annotation
    // needs literal values); ExitCodesTest checks that every status here is listed there.

    private ExitCodes() {}
}
