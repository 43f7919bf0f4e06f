package org.nixbuildshell.launcher.cli;

import java.nio.file.Path;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.SyscallException;

/**
 * A full disk (or quota) while the launcher writes the sandbox root is the
 * user's to fix, like a copy that does not fit: status 117 and where to make room.
 */
final class NoSpace {
    private NoSpace() {}

    static ToolError error(SyscallException e, Path tmpdir) {
        return new ToolError(ExitCodes.COPY_FAILED, "the disk is full: " + e.getMessage(),
                "free some space in " + tmpdir + ", or put the sandbox root elsewhere with --tmpdir DIR", e);
    }
}
