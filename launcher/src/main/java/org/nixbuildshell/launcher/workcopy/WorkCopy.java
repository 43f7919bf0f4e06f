package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.rootfs.ProcessIdentity;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.rootfs.RootLayout;
import org.nixbuildshell.launcher.rootfs.Trees;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working copy of one kept build, {@code CACHE/NAME-HASH/}, which lasts across runs:
 * <pre>
 *   lock      flock'd exclusively while a launcher checks, makes, or decides to remove the copy
 *   use       flock'd shared by every session running on the copy
 *   source    path, device and inode of the kept directory
 *   root/     the sandbox root: the skeleton, tmp and build (the copy)
 *   manifest  the state of root/build right after the copy ({@link Manifest})
 *   complete  written last: without it, the copy was interrupted and is made again
 *   session   "PID STARTTIME" of the init of the session that runs on it: a later run joins it
 *   settings  that session's process settings, which a joined command starts with
 *   kept      present when --keep-root asked to keep it
 * </pre>
 * The kept directory is only read, by cp.
 */
public final class WorkCopy implements RootLayout {
    private static final Logger log = LoggerFactory.getLogger(WorkCopy.class);

    private final Path dir;
    private final CopyKey key;
    private int lockFd = -1;
    private int useFd = -1;

    private WorkCopy(Path dir, CopyKey key) {
        this.dir = dir;
        this.key = key;
    }

    /**
     * The copy of {@code key} under {@code base}. A copy of the same kept directory (the same path,
     * device and inode in its {@code source}) under another name, made by a version of the tool that
     * named copies otherwise, is this one: it is renamed, so an upgrade loses nothing.
     */
    public static WorkCopy at(Path base, CopyKey key) {
        Path dir = base.resolve(key.name());
        if (!Files.exists(dir)) {
            adoptRenamed(base, key, dir);
        }
        return new WorkCopy(dir, key);
    }

    private static void adoptRenamed(Path base, CopyKey key, Path dir) {
        try (var dirs = Files.newDirectoryStream(base)) {
            for (Path other : dirs) {
                Path source = other.resolve("source");
                if (Files.isRegularFile(source) && Files.readString(source, StandardCharsets.UTF_8).equals(key.describe())) {
                    Files.move(other, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    log.info("work copy: {} is this build's copy under an earlier name: renamed to {}", other, dir);
                    return;
                }
            }
        } catch (IOException e) {
            // no cache yet, or another launcher renamed it first: either way nothing to adopt
            log.debug("work copy: no earlier copy adopted: {}", e.getMessage());
        }
    }

    @Override
    public Path dir() {
        return dir;
    }

    public boolean isComplete() {
        return Files.exists(dir.resolve("complete"));
    }

    /**
     * Make sure a complete copy exists (copying the kept directory if not, or again with {@code fresh})
     * and join its users. Two launchers never copy at once: the second waits for the lock, then finds
     * the copy complete. Whether to join is decided first, under the lock: only a new session calls
     * {@code startInit} (so a joining run never starts an init JVM of its own), and it does so before
     * the copy, so that init's JVM boots while we copy.
     *
     * @param startInit starts the new session's init and returns its pid, recorded for later runs to join
     */
    public int open(boolean fresh, boolean keep, BuildSpec build, Cancellation cancellation, IntSupplier startInit)
            throws IOException {
        lock();
        try {
            int running = fresh ? 0 : runningInit();
            if (running > 0) {
                log.info("work copy: a session runs on {} (init pid {}): joining it", dir, running);
                useFd = Sys.openLockFile(dir.resolve("use").toString());
                Sys.flock(useFd, false, dir.resolve("use").toString());
                return running;
            }
            int initPid = startInit.getAsInt();
            if (fresh) {
                requireUnused("--fresh");
                log.info("work copy: --fresh: removing {}", dir);
                discard();
            } else if (!isComplete() && (Files.exists(root()) || hasStaging())) {
                log.warn("the working copy at {} is incomplete (an earlier copy was interrupted); copying again", dir);
                discard();
            }
            if (isComplete()) {
                check();
                log.info("work copy: reusing {}", dir);
                resetRoot();
            } else {
                for (Path old : Orphans.copiesOf(key.path(), dir.getParent(), dir.getFileName().toString())) {
                    log.warn("a working copy of an earlier build kept at {} is left at {} (that build directory was "
                            + "replaced); remove it when you no longer need what changed in it", key.path(), old);
                }
                make(build, cancellation);
            }
            if (keep) {
                Files.writeString(dir.resolve("kept"), "kept by --keep-root\n");
            }
            Files.writeString(dir.resolve("session"), ProcessIdentity.of(initPid) + "\n");
            useFd = Sys.openLockFile(dir.resolve("use").toString());
            Sys.flock(useFd, false, dir.resolve("use").toString());
            return 0;
        } finally {
            unlock();
        }
    }

    /** Init of the session running on this copy (its "session" file, while "use" is held), or 0. */
    private int runningInit() throws IOException {
        Path session = dir.resolve("session");
        if (!Files.exists(session) || !inUse()) {
            return 0;
        }
        String identity = Files.readString(session).trim();
        return ProcessIdentity.alive(identity) ? Integer.parseInt(identity.split(" ")[0]) : 0;
    }

    private boolean inUse() {
        Path use = dir.resolve("use");
        if (!Files.exists(use)) {
            return false;
        }
        int probe = Sys.openLockFile(use.toString());
        try {
            return !Sys.tryFlock(probe, true, use.toString());
        } finally {
            Sys.close(probe);
        }
    }

    /**
     * Copy into {@code copying-PID/}, renamed to {@code root/} when done: a launcher killed mid-copy
     * may leave its cp running, writing into a directory nobody else uses.
     */
    private void make(BuildSpec build, Cancellation cancellation) throws IOException {
        Path staging = dir.resolve("copying-" + ProcessHandle.current().pid());
        try {
            Files.writeString(dir.resolve("source"), key.describe());
            Sys.mkdirs(staging.toString(), 0700);
            log.info("copy: {} -> {}", key.path(), build());
            SessionRoot.populate(staging, build, cancellation);
            Files.move(staging, root());
            Manifest.of(build()).write(dir.resolve("manifest"));
            Sys.createFile(dir.resolve("complete").toString(), new byte[0], 0644);
            log.info("copy: done");
        } catch (RuntimeException | IOException e) {
            deleteQuietly(staging);
            discardQuietly(); // a half copy is never taken for a good one: "complete" is missing anyway
            removeEmpty();
            Exception reported = noSpace(e);
            if (reported instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) reported;
        }
    }

    /** A full disk while writing the manifest or the marker is a full disk, as in cp: status 117. */
    private Exception noSpace(Exception e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof IOException && (m.contains("No space left") || m.contains("quota"))) {
            return new ToolError(ExitCodes.COPY_FAILED, "the disk is full: " + m,
                    "free some space in " + dir.getParent() + ", or put the working copy elsewhere with --tmpdir DIR", e);
        }
        return e;
    }

    private boolean hasStaging() throws IOException {
        try (var s = Files.newDirectoryStream(dir, "copying-*")) {
            return s.iterator().hasNext();
        }
    }

    /**
     * Only /build lasts: the rest of the root (the skeleton init makes from the plan, with the modes
     * of this run's profile, the mount points, /tmp) is made anew for each sandbox, as in Nix.
     */
    private void resetRoot() throws IOException {
        Sys.chmod(root().toString(), 0700); // init left it as the profile says (0750), which is ours anyway
        try (var entries = Files.newDirectoryStream(root())) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals("build")) {
                    Trees.deleteRecursively(p);
                }
            }
        }
    }

    /** A complete copy must still have its build tree and a readable manifest. */
    private void check() {
        String problem = null;
        if (!Files.isDirectory(build())) {
            problem = build() + " is missing";
        } else if (!Files.isReadable(dir.resolve("manifest"))) {
            problem = "its manifest is missing"; // read (and checked line by line) at the end, not on the way in
        }
        if (problem != null) {
            throw new ToolError(ExitCodes.COPY_FAILED, "the working copy at " + dir + " is damaged: " + problem,
                    "start over from the kept directory with --fresh (what was changed in the copy is lost)");
        }
        if (!Files.exists(build().resolve(BuildDir.ENV_VARS), LinkOption.NOFOLLOW_LINKS)) {
            // every command inside starts by sourcing it: without it, bash fails and no tool is on PATH
            throw new ToolError(ExitCodes.COPY_FAILED, "the working copy at " + dir + " lost /build/env-vars (it was "
                    + "deleted or moved in an earlier session), which every command inside starts by sourcing",
                    "start over from the kept directory with --fresh (what was changed in the copy is lost), "
                            + "or put env-vars back in " + build());
        }
    }

    /** What changed in /build since the copy. */
    public Manifest.Changes changes() throws IOException {
        return Manifest.read(dir.resolve("manifest")).against(Manifest.of(build()));
    }

    /**
     * The session ends: the last one out removes a copy nobody changed (unless kept). Returns the
     * changes left in the copy (null when it was removed or others still use it).
     */
    public Manifest.Changes close() throws IOException {
        lock();
        try {
            Sys.close(useFd);
            useFd = -1;
            if (inUse()) {
                log.info("work copy: still used by another session");
                return null;
            }
            if (Files.exists(dir.resolve("kept"))) {
                return changes();
            }
            Manifest.Changes changes = changes();
            log.info("work copy: {} change(s) in /build", changes.count());
            if (changes.isEmpty()) {
                discard();
                removeEmpty();
                log.info("cleanup: nothing changed in /build; removed {}", dir);
                return null;
            }
            return changes;
        } finally {
            unlock();
        }
    }

    /** Refuse while another session runs on the copy. */
    private void requireUnused(String option) {
        if (inUse()) {
            throw new ToolError(ExitCodes.COPY_FAILED, option + ": another nix-build-shell session is running on "
                    + "the working copy " + dir, "end that session first, or use --new for a separate copy");
        }
    }

    /** Everything but the lock files, so a waiting launcher's lock stays meaningful. */
    private void discard() throws IOException {
        Files.deleteIfExists(dir.resolve("complete"));
        try (var leftovers = Files.newDirectoryStream(dir, "copying-*")) {
            for (Path p : leftovers) {
                OrphanCopies.stop(p); // a killed launcher's; its cp may still be writing there
                deleteQuietly(p);
            }
        }
        Files.deleteIfExists(dir.resolve("kept"));
        Trees.deleteRecursively(root());
        Files.deleteIfExists(dir.resolve("manifest"));
        Files.deleteIfExists(dir.resolve("source"));
        Files.deleteIfExists(dir.resolve("session"));
        Files.deleteIfExists(dir.resolve("settings"));
    }

    private static void deleteQuietly(Path p) {
        try {
            Trees.deleteRecursively(p);
        } catch (IOException e) {
            log.warn("could not remove {} (removed on a later run): {}", p, e.getMessage());
        }
    }

    private void discardQuietly() {
        try {
            discard();
        } catch (IOException e) {
            log.warn("could not remove the unfinished copy {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Under the lock, after {@link #discard}: removes the lock files, the copy's directory and the
     * cache directory when nothing else is in them. A launcher waiting on the removed lock file
     * notices (see {@link #lock}) and starts over.
     */
    private void removeEmpty() {
        try {
            Files.deleteIfExists(dir.resolve("use"));
            Files.deleteIfExists(dir.resolve("lock"));
            Files.deleteIfExists(dir);
            Files.deleteIfExists(dir.getParent());
        } catch (IOException e) {
            // not empty (a launcher just arrived, another copy): fine
        }
    }

    /**
     * Lock {@code dir/lock}, creating the directories. The file may be removed (with its empty
     * directory) by a launcher that held the lock before us: then the lock we got is on a removed
     * file and means nothing, so we take it again on the new one.
     */
    private void lock() throws IOException {
        Path file = dir.resolve("lock");
        boolean told = false;
        while (true) {
            try {
                Sys.mkdirs(dir.toString(), 0700);
                int fd = Sys.openLockFile(file.toString());
                if (!Sys.tryFlock(fd, true, file.toString())) {
                    if (!told) {
                        log.warn("waiting for another nix-build-shell that is preparing the working copy {}", dir);
                        told = true;
                    }
                    Sys.flock(fd, true, file.toString());
                }
                if (Files.exists(file) && sameFile(fd, file)) {
                    lockFd = fd;
                    return;
                }
                Sys.close(fd);
            } catch (SyscallException e) {
                if (e.errno() != org.nixbuildshell.sys.Errno.ENOENT) {
                    throw e;
                }
            }
        }
    }

    private static boolean sameFile(int fd, Path file) throws IOException {
        Object open = Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
        return open.equals(Files.getAttribute(file, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private void unlock() {
        if (lockFd >= 0) {
            Sys.close(lockFd);
            lockFd = -1;
        }
    }

    static String readSource(Path copyDir) {
        try {
            return Files.readString(copyDir.resolve("source"), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
