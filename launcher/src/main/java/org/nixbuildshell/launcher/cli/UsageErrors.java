package org.nixbuildshell.launcher.cli;

import java.io.PrintWriter;
import org.nixbuildshell.status.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A bad command line: picocli's one-line message, a pointer to --help, status 2 (not the whole help). */
public final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("nix-build-shell: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try 'nix-build-shell --help' for the options and an example.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
