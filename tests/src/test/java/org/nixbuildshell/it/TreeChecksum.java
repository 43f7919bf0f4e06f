package org.nixbuildshell.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over a whole tree: every path, its type, owner, group, mode,
 * mtime, symlink target and content. Any change to the kept directory
 * changes it.
 */
public final class TreeChecksum {
    private TreeChecksum() {}

    public static String of(Path top) {
        try (Stream<Path> walk = Files.walk(top)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> paths = walk.sorted().toList();
            for (Path p : paths) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String meta = top.relativize(p) + "|" + (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f")
                        + "|" + a.owner().getName() + "|" + a.group().getName()
                        + "|" + PosixFilePermissions.toString(a.permissions()) + "|" + a.lastModifiedTime().toMillis();
                sha.update(meta.getBytes(StandardCharsets.UTF_8));
                if (a.isSymbolicLink()) {
                    sha.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                } else if (a.isRegularFile() && Files.isReadable(p)) {
                    sha.update(Files.readAllBytes(p));
                }
            }
            return paths.size() + ":" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
