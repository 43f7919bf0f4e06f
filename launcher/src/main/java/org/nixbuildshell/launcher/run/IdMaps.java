package org.nixbuildshell.launcher.run;

import java.nio.charset.StandardCharsets;
import org.nixbuildshell.sys.Sys;

/**
 * Maps the caller to Nix's build user inside: uid 1000 is the caller's uid,
 * gid 100 the caller's gid, and setgroups is denied (required before an
 * unprivileged gid_map, and what Nix does). One write(2) per file, as the
 * kernel requires; a refusal is a SyscallException with the kernel's errno.
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

    static void writeProc(int pid, String file, String content) {
        Sys.writeFile("/proc/" + pid + "/" + file, content.getBytes(StandardCharsets.US_ASCII), content.strip());
    }
}
