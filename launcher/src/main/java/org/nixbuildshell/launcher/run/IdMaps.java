package org.nixbuildshell.launcher.run;

import java.nio.charset.StandardCharsets;
import org.nixbuildshell.sys.Sys;

/**
 * Maps the caller to Nix's build user inside: uid 1000 is the caller's uid,
 * gid 100 the caller's gid, and setgroups is denied (required before an
 * unprivileged gid_map, and what Nix does). One write(2) per file, as the
 * kernel requires; a refusal is a SyscallException with the kernel's errno.
 *
 * <p>Under sudo the launcher is root and maps the sudo caller instead; setgroups
 * stays allowed then, because the child, a process of host root, must drop
 * root's supplementary groups itself, which setgroups(2) does only after the
 * gid map is written and only where it is not denied.
 */
final class IdMaps {
    static final int SANDBOX_UID = 1000;
    static final int SANDBOX_GID = 100;

    private IdMaps() {}

    static void write(int pid, SandboxUser user) {
        int uid = user.uid();
        int gid = user.gid();
        if (!user.sudo()) {
            writeProc(pid, "setgroups", "deny\n");
        }
        writeProc(pid, "uid_map", SANDBOX_UID + " " + uid + " 1\n");
        writeProc(pid, "gid_map", SANDBOX_GID + " " + gid + " 1\n");
    }

    static void writeProc(int pid, String file, String content) {
        Sys.writeFile("/proc/" + pid + "/" + file, content.getBytes(StandardCharsets.US_ASCII), content.strip());
    }
}
