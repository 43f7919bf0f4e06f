package org.nixbuildshell.launcher.run;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import org.nixbuildshell.sys.Linux;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the caller's terminal back to the caller's process group when the
 * sandbox ends. An interactive shell inside makes its own job the terminal's
 * foreground group, but cannot give the terminal back on exit: our group lies
 * outside its pid namespace, so it only ever saw it as 0. Left like that, the
 * terminal's foreground group is gone, and a script that ran nix-build-shell
 * gets EIO (or SIGTTIN) on its next read from the terminal.
 */
final class TerminalForeground {
    private static final Logger log = LoggerFactory.getLogger(TerminalForeground.class);
    private static final long TIOCSPGRP = 0x5410;

    private final int group;

    private TerminalForeground(int group) {
        this.group = group;
    }

    /** Remember our group if it is the foreground group of the terminal on stdin. */
    static TerminalForeground remember() {
        return new TerminalForeground(Sys.inForegroundOf(0) ? LinuxLibc.getpgrp() : 0);
    }

    /** Make the remembered group the foreground group again, if something inside changed it. */
    void restore() {
        if (group <= 0 || !Sys.isatty(0)) {
            return;
        }
        try {
            if (LinuxLibc.tcgetpgrp(0) == group) {
                return;
            }
        } catch (LastErrorException e) {
            return;
        }
        // tcsetpgrp from a background group raises SIGTTOU, whose default would stop us
        long previous = LinuxLibc.signal(Linux.SIGTTOU, Linux.SIG_IGN);
        try {
            Memory pgrp = new Memory(4);
            pgrp.setInt(0, group);
            LinuxLibc.ioctl(0, TIOCSPGRP, pgrp);
            log.debug("terminal: process group {} is in the foreground again", group);
        } catch (LastErrorException e) {
            log.debug("terminal: cannot take the foreground back: {}", LinuxLibc.strerror(e.getErrorCode()));
        } finally {
            LinuxLibc.signal(Linux.SIGTTOU, previous);
        }
    }
}
