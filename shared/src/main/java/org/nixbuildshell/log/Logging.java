package org.nixbuildshell.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback set up in code, ahead of any XML lookup: nothing to parse at start.
 * Found by logback through META-INF/services. The level and tag come from
 * system properties set by each main before its first logger:
 * {@code nbs.log.level} (WARN, INFO, DEBUG) and {@code nbs.log.tag}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class Logging extends ContextAwareBase implements Configurator {
    public static final String LEVEL_PROPERTY = "nbs.log.level";
    public static final String TAG_PROPERTY = "nbs.log.tag";
    public static final String START_PROPERTY = "nbs.log.start";

    /** Set before the first logger is created. */
    public static void init(String level, String tag, long startMillis) {
        System.setProperty(LEVEL_PROPERTY, level);
        System.setProperty(TAG_PROPERTY, tag);
        System.setProperty(START_PROPERTY, Long.toString(startMillis));
    }

    /** The level name for -v counted {@code verbosity} times. */
    public static String levelFor(int verbosity) {
        return verbosity <= 0 ? "WARN" : verbosity == 1 ? "INFO" : "DEBUG";
    }

    /** True at -vv, where stack traces are shown. */
    public static boolean tracing() {
        return "DEBUG".equals(System.getProperty(LEVEL_PROPERTY));
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Level level = Level.toLevel(System.getProperty(LEVEL_PROPERTY, "WARN"), Level.WARN);
        String tag = System.getProperty(TAG_PROPERTY, "launcher");
        long start = Long.getLong(START_PROPERTY, System.currentTimeMillis());
        StderrAppender appender = new StderrAppender(System.err, tag, start, level == Level.DEBUG);
        appender.setContext(context);
        appender.setName("stderr");
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // With a status listener present, logback skips its StatusPrinter, whose date
        // formatter loads the time-zone database (~20 ms at start); errors still show.
        context.getStatusManager().add(status -> {
            if (status.getLevel() == ch.qos.logback.core.status.Status.ERROR) {
                System.err.println("nix-build-shell: logging: " + status.getMessage());
            }
        });
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
