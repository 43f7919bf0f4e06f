package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the kept build directory with {@code cp -a}: reflinks where the file
 * system has them, ownership given to the caller (who is the build user
 * inside), and the original never touched.
 */
public final class Copier {
    private static final Logger log = LoggerFactory.getLogger(Copier.class);
    private static final int LISTED_UNREADABLE = 5;

    private final Cancellation cancellation;

    public Copier(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    public void copy(Path source, Path target) throws IOException {
        copy(source, target, Set.of());
    }

    /**
     * @param replaced files (relative to source) that the caller writes anew after the copy, such as an
     *                 env-vars rebuilt from the derivation: that they cannot be read is no news
     */
    public void copy(Path source, Path target, Set<String> replaced) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("cp", "-a", "--reflink=auto", "--no-preserve=ownership",
                "--", source.toString(), target.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process cp = pb.start();
        cancellation.track(cp);
        String errors;
        int status;
        CopyProgress progress = CopyProgress.start(source, target, Sys.isatty(2), System.err);
        try {
            errors = new String(cp.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            status = cp.waitFor();
        } catch (IOException e) {
            // a signal killed cp, and destroying a Process closes its pipes ("Stream closed"): the
            // signal's 128+N, as for any signal during the preparation, not an internal error
            cancellation.check();
            throw e;
        } catch (InterruptedException e) {
            cp.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying", e);
        } finally {
            progress.close();
            cancellation.untrack(cp);
        }
        cancellation.check();
        if (status == 0) {
            return;
        }
        List<String> lines = errors.lines().toList();
        if (lines.stream().anyMatch(l -> l.contains("No space left on device") || l.contains("Disk quota exceeded"))) {
            throw noSpace(source, target);
        }
        List<String> unreadable = new ArrayList<>();
        for (String line : lines) {
            if (line.endsWith(": Permission denied") && line.startsWith("cp: cannot ")) {
                unreadable.add(quoted(line));
            }
        }
        boolean onlyUnreadable = !unreadable.isEmpty() && unreadable.size() == lines.size() && Files.isDirectory(target);
        unreadable.removeIf(path -> replaced.contains(source.relativize(Path.of(path)).toString()));
        if (onlyUnreadable && unreadable.isEmpty()) {
            return;
        }
        if (onlyUnreadable) {
            log.warn("{} file(s) of the build directory could not be read and are missing from /build: {}{}\n"
                            + "  hint: they belong to the Nix build user; to include them, sudo chmod -R a+rX {}",
                    unreadable.size(), String.join(", ", unreadable.subList(0, Math.min(LISTED_UNREADABLE, unreadable.size()))),
                    unreadable.size() > LISTED_UNREADABLE ? ", ..." : "", source);
            return;
        }
        throw new ToolError(ExitCodes.COPY_FAILED, "copying " + source + " failed: "
                + (lines.isEmpty() ? "cp exited with " + status : lines.get(0)),
                "check that " + target.getParent() + " is writable, or choose another place with --tmpdir");
    }

    private static String quoted(String line) {
        int open = line.indexOf('\'');
        int close = line.lastIndexOf('\'');
        return open >= 0 && close > open ? line.substring(open + 1, close) : line;
    }

    private static ToolError noSpace(Path source, Path target) {
        long needed = diskUsage(source);
        Path place = target.getParent().getParent();
        if (place.getParent() != null && place.getFileName().toString().startsWith("nix-build-shell-")) {
            place = place.getParent(); // name the --tmpdir, not our temp root (about to be removed)
        }
        long free;
        try {
            FileStore store = Files.getFileStore(place);
            free = store.getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        return new ToolError(ExitCodes.COPY_FAILED,
                "not enough space to copy the build directory: it needs about " + human(needed) + ", "
                        + (free >= 0 ? human(free) + " are free" : "free space unknown") + " in " + place,
                "choose a file system with more room: nix-build-shell --tmpdir /some/big/dir ...");
    }

    /** Space the tree takes on disk (du: blocks, so many small files count too); the byte count if du fails. */
    static long diskUsage(Path top) {
        try {
            Process du = new ProcessBuilder("du", "-s", "-B1", "--", top.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (du.waitFor() <= 1 && !out.isEmpty()) { // 1: some files unreadable, the rest counted
                return Long.parseLong(out.split("\\s+")[0]);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CopyProgress.Tally.of(top).bytes();
    }

    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format("%.1f %s", v, units[u]);
    }
}
