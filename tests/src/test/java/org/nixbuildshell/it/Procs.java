package org.nixbuildshell.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Finding the sandbox's processes from outside (the host's /proc lists them
 * too) and polling with deadlines instead of sleeping.
 */
final class Procs {
    private Procs() {}

    /**
     * A {@code sleep} argument no other process has, e.g. "1000.482913": the
     * command runs {@code sleep MARKER} and the test looks for exactly that argv.
     */
    static String marker() {
        return "1000." + (100000 + ThreadLocalRandom.current().nextInt(900000));
    }

    /** Pids whose argv is exactly {@code argv} (e.g. sleep MARKER, but not the launcher naming it). */
    static List<Long> withArgv(String... argv) {
        String wanted = String.join("\0", argv) + "\0";
        List<Long> pids = new ArrayList<>();
        for (long pid : all()) {
            if (wanted.equals(cmdline(pid))) {
                pids.add(pid);
            }
        }
        return pids;
    }

    /** Pids whose command line contains {@code part} (e.g. init's main class). */
    static List<Long> withCmdlineContaining(String part) {
        List<Long> pids = new ArrayList<>();
        for (long pid : all()) {
            if (cmdline(pid).contains(part)) {
                pids.add(pid);
            }
        }
        return pids;
    }

    /** One process as seen at one moment: its start time tells it from a later process given the same pid. */
    record Seen(long pid, String startTime, String cmdline) {
        /** Still there and not a zombie (a zombie runs nothing; its parent has yet to reap it). */
        boolean running() {
            String stat = read(Path.of("/proc/" + pid + "/stat"));
            int paren = stat.lastIndexOf(')');
            if (paren < 0) {
                return false;
            }
            String[] fields = stat.substring(paren + 2).split(" ");
            return !fields[0].equals("Z") && fields[19].equals(startTime);
        }

        @Override
        public String toString() {
            return pid + " (" + cmdline.replace('\0', ' ').strip() + ")";
        }
    }

    /**
     * Every process below {@code pid} now, found through
     * /proc/PID/task/TID/children, recursively (as scripts/bench finds init):
     * the sandbox's processes are the launcher's descendants, whatever their
     * command lines say.
     */
    static Set<Seen> descendants(long pid) {
        Set<Seen> found = new LinkedHashSet<>();
        collect(pid, found);
        return found;
    }

    private static void collect(long pid, Set<Seen> found) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                for (String child : read(task.resolve("children")).trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        long c = Long.parseLong(child);
                        String stat = read(Path.of("/proc/" + c + "/stat"));
                        int paren = stat.lastIndexOf(')');
                        if (paren > 0) {
                            found.add(new Seen(c, stat.substring(paren + 2).split(" ")[19], cmdline(c)));
                            collect(c, found);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Those of {@code seen} still running. */
    static List<Seen> running(Collection<Seen> seen) {
        return seen.stream().filter(Seen::running).toList();
    }

    static boolean sleepRunning(String marker) {
        return !withArgv("sleep", marker).isEmpty();
    }

    /** The state letter of /proc/PID/stat (R, S, T, Z...), or "gone". */
    static String state(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        int paren = stat.lastIndexOf(')');
        return paren < 0 || paren + 2 >= stat.length() ? "gone" : stat.substring(paren + 2, paren + 3);
    }

    /** Poll every 20 ms until {@code condition} holds; false when {@code timeout} passed first. */
    static boolean waitUntil(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }

    /** Kill whatever a failed test left running (pids found by marker). */
    static void killAll(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Send a signal by name with kill(1): Process.destroy() only knows TERM and KILL. */
    static void signal(long pid, String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<Long> all() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                pids.add(Long.parseLong(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return pids;
    }

    private static String cmdline(long pid) {
        return read(Path.of("/proc/" + pid + "/cmdline"));
    }

    /** procfs files report size 0: read to EOF. A process that is gone (or a file not there yet) reads as "". */
    static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
