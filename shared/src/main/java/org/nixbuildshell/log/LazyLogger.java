package org.nixbuildshell.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/** A logger of {@link LazyLogging}: the level check here, the line through Logback ({@link Backend}). */
final class LazyLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    LazyLogger(String name) {
        this.name = name;
    }

    /** The threshold of {@code nbs.log.level} (set by each main before its first line): WARN unless -v. */
    private static int threshold() {
        String level = System.getProperty(Logging.LEVEL_PROPERTY, "WARN");
        return switch (level) {
            case "TRACE" -> Level.TRACE.toInt();
            case "DEBUG" -> Level.DEBUG.toInt();
            case "INFO" -> Level.INFO.toInt();
            case "ERROR" -> Level.ERROR.toInt();
            default -> Level.WARN.toInt();
        };
    }

    private static boolean enabled(Level level) {
        return level.toInt() >= threshold();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        Backend.log(name, level, messagePattern, arguments, throwable);
    }

    /** Logback, started on first use (a class of its own, so that no Logback class loads before). */
    private static final class Backend {
        private static final ch.qos.logback.classic.LoggerContext CONTEXT = start();

        private static ch.qos.logback.classic.LoggerContext start() {
            ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
            context.setName("nix-build-shell");
            Logging configurator = new Logging();
            configurator.setContext(context);
            configurator.configure(context);
            context.start();
            return context;
        }

        static void log(String name, Level level, String pattern, Object[] arguments, Throwable throwable) {
            ch.qos.logback.classic.Logger logger = CONTEXT.getLogger(name);
            Object[] args = arguments;
            if (throwable != null) { // SLF4J's convention: a throwable last among the arguments
                args = arguments == null ? new Object[1] : java.util.Arrays.copyOf(arguments, arguments.length + 1);
                args[args.length - 1] = throwable;
            }
            switch (level) {
                case ERROR -> logger.error(pattern, args);
                case WARN -> logger.warn(pattern, args);
                case INFO -> logger.info(pattern, args);
                case DEBUG -> logger.debug(pattern, args);
                default -> logger.trace(pattern, args);
            }
        }
    }
}
