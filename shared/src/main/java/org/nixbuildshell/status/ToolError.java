package org.nixbuildshell.status;

/**
 * A failure the user can act on: one message saying what is wrong, one hint
 * saying what to do, and the documented exit status.
 */
public final class ToolError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String hint;

    public ToolError(int exitCode, String message, String hint) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public ToolError(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    public String hint() {
        return hint;
    }
}
