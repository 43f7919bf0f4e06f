package org.nixbuildshell.launcher.cli;

/**
 * Exit statuses of nix-build-shell. The command's own status passes through
 * (0-255, 128+N when killed by signal N, 126/127 from the shell when the
 * command cannot be run); the tool's own failures use 111-119, chosen to stay
 * clear of the statuses builds and shells commonly return.
 */
public final class ExitCodes {
    public static final int USAGE = 2;
    public static final int NO_BUILD_DIR = 111;
    public static final int NO_ENV_VARS = 112;
    public static final int BAD_ENV_VARS = 113;
    public static final int NO_SHELL = 114;
    public static final int SHELL_NOT_IN_STORE = 115;
    public static final int NO_USER_NAMESPACES = 116;
    public static final int COPY_FAILED = 117;
    public static final int SETUP_FAILED = 118;
    public static final int INTERNAL = 119;

    /** The list shown at the end of --help. */
    public static final String HELP_LIST =
            "  0-255   the command's own exit status (128+N when it was killed by signal N)" + "%n"
            + "  126     the command was found but is not executable" + "%n"
            + "  127     the command was not found inside the sandbox" + "%n"
            + "  2       bad command line" + "%n"
            + "  111     BUILD_DIR does not exist or is not a directory" + "%n"
            + "  112     BUILD_DIR has no readable env-vars file" + "%n"
            + "  113     env-vars is not the output of bash's export (binary or malformed)" + "%n"
            + "  114     env-vars has no SHELL variable" + "%n"
            + "  115     the SHELL named in env-vars is not in the Nix store" + "%n"
            + "  116     user namespaces are not available to this user" + "%n"
            + "  117     the build directory could not be copied (e.g. no space left)" + "%n"
            + "  118     the sandbox could not be set up (mounts, /proc, chroot)" + "%n"
            + "  119     internal error (please report it, with the output of -vv)";

    private ExitCodes() {}
}
