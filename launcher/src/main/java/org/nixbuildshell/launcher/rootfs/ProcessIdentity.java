package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import org.nixbuildshell.sys.ProcFs;

/**
 * "PID STARTTIME" of a process: the pid alone can be reused, the pair cannot
 * (start time is field 22 of /proc/PID/stat, in clock ticks since boot).
 */
public final class ProcessIdentity {
    private ProcessIdentity() {}

    static String self() {
        return of(ProcessHandle.current().pid());
    }

    public static String of(long pid) {
        return pid + " " + startTime(pid);
    }

    /** True when the process recorded as {@code identity} is still running. */
    public static boolean alive(String identity) {
        String[] parts = identity.trim().split(" ");
        if (parts.length != 2) {
            return false;
        }
        try {
            return startTime(Long.parseLong(parts[0])).equals(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String startTime(long pid) {
        try {
            String stat = ProcFs.read("/proc/" + pid + "/stat");
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[19]; // field 22 overall; fields[0] is field 3
        } catch (IOException | RuntimeException e) {
            return "gone";
        }
    }
}
