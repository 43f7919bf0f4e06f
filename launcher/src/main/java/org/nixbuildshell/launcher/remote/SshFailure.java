package org.nixbuildshell.launcher.remote;

import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * What went wrong at one stage of a remote run, as one line naming the
 * builder and the stage. ssh ends with 255 for its own failures; its last
 * message says whether it could not reach the host or could not log in.
 */
final class SshFailure {
    private SshFailure() {}

    static ToolError of(Destination d, String stage, Ssh.Result r) {
        String said = lastLine(r.stderr());
        if (r.status() != Ssh.SSH_FAILED) {
            return unexpected(d, stage, r);
        }
        String lower = r.stderr().toLowerCase();
        if (lower.contains("host key verification failed") || lower.contains("remote host identification has changed")) {
            return new ToolError(ExitCodes.REMOTE_LOGIN, d.shown() + ": ssh refused the builder's host key (" + said + ")",
                    "check the builder's key: ssh " + d.userHost() + " asks, or ssh-keyscan it into ~/.ssh/known_hosts "
                            + "(or the builders entry's host key)");
        }
        if (lower.contains("permission denied") || lower.contains("authentication")) {
            return new ToolError(ExitCodes.REMOTE_LOGIN, d.shown() + ": ssh could not log in (" + said + ")",
                    "make 'ssh " + d.userHost() + " true' work first: the key (ssh-add, or IdentityFile in ~/.ssh/config"
                            + " or the builders entry) and the user");
        }
        return new ToolError(ExitCodes.REMOTE_CONNECT, d.shown() + ": ssh could not connect (" + said + ")",
                "check the host name and port, and that 'ssh " + d.userHost() + " true' works from here");
    }

    /** The builder answered, but not as the probe or the upload expected. */
    static ToolError unexpected(Destination d, String stage, Ssh.Result r) {
        String stage2 = stage.equals("upload") ? "copying nix-build-shell there" : "the " + stage;
        int code = stage.equals("upload") ? ExitCodes.REMOTE_SHIP_FAILED : ExitCodes.REMOTE_CONNECT;
        return new ToolError(code, d.shown() + ": " + stage2 + " failed (status " + r.status() + ": "
                + lastLine(r.stderr()) + ")", "the builder needs a POSIX sh, tar and sha256sum; run with -vv to see more");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\r?\n");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "no message" : last;
    }
}
