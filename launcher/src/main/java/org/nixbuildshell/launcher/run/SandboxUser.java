package org.nixbuildshell.launcher.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nixbuildshell.sys.LinuxLibc;

/**
 * Who uid 1000 and gid 100 inside the sandbox are outside. Normally the
 * caller. Under sudo (real uid 0, SUDO_UID and SUDO_GID set) the invoking
 * user: root is only needed to read the kept directory (env-vars 0600, owned
 * by the build user) and to copy it; the sandbox, and the copy it works on,
 * belong to the user, never to root. Plain root stays root.
 *
 * @param uid  the host uid that uid 1000 maps to
 * @param gid  the host gid that gid 100 maps to
 * @param sudo whether the launcher is root working for a sudo caller (the copy must then be given to uid:gid)
 */
public record SandboxUser(int uid, int gid, boolean sudo) {

    public static SandboxUser current() {
        return of(LinuxLibc.getuid(), LinuxLibc.getgid(), System.getenv());
    }

    static SandboxUser of(int uid, int gid, Map<String, String> env) {
        if (uid == 0) {
            Integer sudoUid = id(env.get("SUDO_UID"));
            Integer sudoGid = id(env.get("SUDO_GID"));
            if (sudoUid != null && sudoGid != null && sudoUid != 0) {
                return new SandboxUser(sudoUid, sudoGid, true);
            }
        }
        return new SandboxUser(uid, gid, false);
    }

    /**
     * Whether this user may pass through {@code dir} and each of its parents (search
     * permission by owner, group or other bits): init, running as this user, mounts from there.
     */
    public boolean canEnter(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            try {
                int mode = (int) Files.getAttribute(p, "unix:mode");
                int owner = (int) Files.getAttribute(p, "unix:uid");
                int group = (int) Files.getAttribute(p, "unix:gid");
                int bit = owner == uid ? 0100 : group == gid ? 010 : 01;
                if (uid != 0 && (mode & bit) == 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    public boolean root() {
        return uid == 0;
    }

    private static Integer id(String value) {
        if (value == null || !value.matches("[0-9]{1,10}")) {
            return null;
        }
        long id = Long.parseLong(value);
        return id < Integer.MAX_VALUE ? (int) id : null;
    }
}
