package org.nixbuildshell.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The common command lines, {@code [-v...] TARGET [COMMAND ARGS...]}, parsed
 * without picocli: building picocli's model by reflection costs about 150 ms,
 * more than the rest of the launcher, and its classes (class file version 49)
 * cannot go into the class-data-sharing archive. Anything else (other options,
 * {@code --help}, {@code @file}, errors) goes to picocli as before, so the two
 * agree on what they both accept: with options stopping at the first
 * positional argument, everything after TARGET is the command.
 */
public final class QuickStart {
    private QuickStart() {}

    /** The exit status, or null when picocli must parse {@code args}. */
    public static Integer run(String[] args, long startMillis) {
        int verbosity = 0;
        int i = 0;
        while (i < args.length && isVerboseFlag(args[i])) {
            verbosity += args[i].length() - 1;
            i++;
        }
        if (i >= args.length || args[i].isEmpty() || args[i].charAt(0) == '-' || args[i].charAt(0) == '@') {
            return null;
        }
        NixBuildShellCommand command = new NixBuildShellCommand(startMillis);
        command.verbose = new boolean[verbosity];
        command.target = Path.of(args[i]);
        command.command = new ArrayList<>(Arrays.asList(args).subList(i + 1, args.length));
        try {
            return command.call();
        } catch (Exception e) {
            return new ErrorReporter().handleExecutionException(e, null, null);
        }
    }

    /** -v, -vv, -vvv... */
    private static boolean isVerboseFlag(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        for (int k = 1; k < arg.length(); k++) {
            if (arg.charAt(k) != 'v') {
                return false;
            }
        }
        return true;
    }
}
