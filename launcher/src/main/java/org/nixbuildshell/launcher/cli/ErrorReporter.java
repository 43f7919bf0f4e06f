package org.nixbuildshell.launcher.cli;

import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

/** Every failure ends here: one message, a hint, the documented status; a stack trace only at -vv. */
public final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Logger log = LoggerFactory.getLogger(ErrorReporter.class);
        Throwable trace = Logging.tracing() ? e : null;
        if (e instanceof Cancellation.Cancelled c) {
            log.info("interrupted by signal {} before the sandbox started", c.signal());
            return 128 + c.signal();
        }
        if (e instanceof ToolError t) {
            log.error("{}{}", t.getMessage(), hint(t.hint()), trace);
            return t.exitCode();
        }
        if (e instanceof SyscallException s) {
            log.error("{}{}", s.getMessage(), hint(s.hint()), trace);
            return ExitCodes.SETUP_FAILED;
        }
        log.error("internal error: {}{}", e, hint("please report this with the output of -vv"), trace);
        return ExitCodes.INTERNAL;
    }

    private static String hint(String hint) {
        return hint == null ? "" : "\n  hint: " + hint;
    }
}
