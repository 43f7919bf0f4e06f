package org.nixbuildshell.launcher.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.SyscallException;

/**
 * Maps the caller to Nix's build user inside: uid 1000 is the caller's uid,
 * gid 100 the caller's gid, and setgroups is denied (required before an
 * unprivileged gid_map, and what Nix does). One write(2) per file, as the
 * kernel requires.
 */
final class IdMaps {
    static final int SANDBOX_UID = 1000;
    static final int SANDBOX_GID = 100;

    private IdMaps() {}

    static void write(int pid, int uid, int gid) {
        writeProc(pid, "setgroups", "deny\n");
        writeProc(pid, "uid_map", SANDBOX_UID + " " + uid + " 1\n");
        writeProc(pid, "gid_map", SANDBOX_GID + " " + gid + " 1\n");
    }

    private static void writeProc(int pid, String file, String content) {
        String path = "/proc/" + pid + "/" + file;
        try (FileOutputStream out = new FileOutputStream(path)) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            int errno = e.getMessage() != null && e.getMessage().contains("Permission denied") ? Errno.EPERM : Errno.EINVAL;
            throw new SyscallException("write", path + ", \"" + content.strip() + "\"", errno,
                    "the kernel refused the id map; user namespaces may be restricted for this user "
                            + "(e.g. Ubuntu's kernel.apparmor_restrict_unprivileged_userns)");
        }
    }
}
