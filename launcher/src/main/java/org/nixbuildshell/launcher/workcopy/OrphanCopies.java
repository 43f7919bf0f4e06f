package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.sys.Linux;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;

/**
 * A launcher killed mid-copy (SIGKILL: no cleanup) leaves its {@code cp} running, still writing
 * into its staging directory. Before that directory is removed, such a cp (ours: same uid, its
 * argv names the directory) is ended, or the removal would race with it.
 */
final class OrphanCopies {
    private static final long WAIT_MILLIS = 5000;

    private OrphanCopies() {}

    static void stop(Path staging) {
        List<Long> pids = writingInto(staging);
        for (long pid : pids) {
            try {
                Sys.kill((int) pid, Linux.SIGKILL);
            } catch (SyscallException e) {
                // gone already
            }
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!pids.isEmpty() && System.currentTimeMillis() < deadline) {
            pids.removeIf(pid -> !Files.exists(Path.of("/proc/" + pid)) || zombie(pid));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Long> writingInto(Path staging) {
        String needle = "\0" + staging.resolve("build") + "\0";
        List<Long> found = new ArrayList<>();
        int uid = LinuxLibc.getuid();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    if (((Number) Files.getAttribute(proc, "unix:uid")).intValue() != uid) {
                        continue;
                    }
                    String argv = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (("\0" + argv).contains(needle)) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to stop
        }
        return found;
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
