package org.nixbuildshell.launcher.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.sys.Errno;
import org.nixbuildshell.sys.ProcFs;

/**
 * What to tell someone whose kernel refuses an unprivileged user namespace:
 * the three settings that can forbid it, their values here, and how to change
 * them (for now and across reboots).
 */
public final class UserNamespaceAdvice {
    private UserNamespaceAdvice() {}

    public static String hint(int errno) {
        String max = sysctl("user/max_user_namespaces");
        String clone = sysctl("kernel/unprivileged_userns_clone");
        String apparmor = sysctl("kernel/apparmor_restrict_unprivileged_userns");
        StringBuilder b = new StringBuilder();
        if (errno == Errno.EINVAL) {
            b.append("this kernel may lack user namespaces (CONFIG_USER_NS); otherwise ");
        }
        b.append("user namespaces are governed by user.max_user_namespaces (here: ").append(max)
                .append("; 0 forbids them), kernel.unprivileged_userns_clone (Debian; here: ").append(clone)
                .append("; 0 forbids them) and kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10+; here: ")
                .append(apparmor).append("; 1 forbids them).");
        b.append("\n  to allow them: sudo sysctl -w user.max_user_namespaces=15000");
        if (!"absent".equals(clone)) {
            b.append(" kernel.unprivileged_userns_clone=1");
        }
        if (!"absent".equals(apparmor)) {
            b.append(" kernel.apparmor_restrict_unprivileged_userns=0");
        }
        b.append("\n  to keep that after a reboot, put the same settings in /etc/sysctl.d/90-userns.conf");
        b.append("\n  (inside a container, the host or the container runtime must allow nested user namespaces)");
        return b.toString();
    }

    /** A value from /proc/sys, or "absent". */
    static String sysctl(String name) {
        Path file = Path.of("/proc/sys", name);
        try {
            return ProcFs.read(file.toString()).trim();
        } catch (IOException e) {
            return Files.exists(file) ? "unreadable" : "absent";
        }
    }
}
