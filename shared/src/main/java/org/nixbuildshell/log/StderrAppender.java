package org.nixbuildshell.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintStream;

/**
 * Writes log lines to stderr, never stdout (stdout belongs to the command).
 * Warnings and errors read like a compiler's; with -v/-vv each line carries
 * the process tag and the milliseconds since the launcher started, so the
 * two processes' lines interleave on one clock.
 */
public final class StderrAppender extends AppenderBase<ILoggingEvent> {
    private final PrintStream err;
    private final String tag;
    private final long startMillis;
    private final boolean traces;

    public StderrAppender(PrintStream err, String tag, long startMillis, boolean traces) {
        this.err = err;
        this.tag = tag;
        this.startMillis = startMillis;
        this.traces = traces;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder("nix-build-shell");
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.WARN)) {
            if (!"launcher".equals(tag)) {
                line.append('[').append(tag).append(']');
            }
            line.append(level == Level.ERROR ? ": error: " : ": warning: ");
        } else {
            line.append('[').append(tag).append("] +").append(event.getTimeStamp() - startMillis).append("ms ");
        }
        line.append(event.getFormattedMessage()).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null && traces) {
            line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
        }
        err.print(line);
        err.flush();
    }
}
