package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.nixbuildshell.sys.Sys;

/**
 * Recursive delete that never follows symlinks and copes with directories a
 * build made read-only (0555) or closed (000) inside: we own them, so we may
 * open them up, but only pay for a chmod where a delete was refused.
 */
public final class Trees {
    private static final Set<PosixFilePermission> OWNER_ALL =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private Trees() {}

    public static void deleteRecursively(Path top) throws IOException {
        // A safety net: everything this tool removes lives in a directory of its own name (temp roots,
        // working copies, their staging directories). Anything else is a bug, not a thing to delete.
        if (!top.toAbsolutePath().normalize().toString().contains("nix-build-shell")) {
            throw new IllegalStateException("refusing to delete " + top + ": not a directory of nix-build-shell's");
        }
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                delete(file, top);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                // a directory we could not open (mode 000): open it up and start over there
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, OWNER_ALL);
                    deleteRecursively(file);
                } else {
                    delete(file, top);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                delete(dir, top);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Delete one entry; when its directory is read-only (a build's chmod 0555), open that up once,
     * but only a directory inside {@code top}: the one that holds top is not ours to change.
     */
    private static void delete(Path path, Path top) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (AccessDeniedException e) {
            if (path.equals(top)) {
                throw e;
            }
            Files.setPosixFilePermissions(path.getParent(), OWNER_ALL);
            Files.deleteIfExists(path);
        }
    }

    /** lchown every entry below and including {@code top}, never following a symlink. */
    public static void chownRecursively(Path top, int uid, int gid) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                Sys.lchown(dir.toString(), uid, gid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Sys.lchown(file.toString(), uid, gid);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
