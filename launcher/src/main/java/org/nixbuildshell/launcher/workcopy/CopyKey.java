package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The identity of a kept build directory: its path, device and inode. A directory removed and
 * kept again by a new failed build has a new inode, so it gets a new working copy.
 *
 * @param name the directory name of its working copy: the kept dir's name and a hash of the three
 */
public record CopyKey(Path path, long device, long inode, String name) {

    public static CopyKey of(Path top) throws IOException {
        Path path = top.toAbsolutePath().normalize();
        long dev = ((Number) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        long ino = ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        String base = path.getFileName() == null ? "root" : path.getFileName().toString().replaceAll("[^A-Za-z0-9._+-]", "_");
        if (base.length() > 60) {
            base = base.substring(0, 60);
        }
        return new CopyKey(path, dev, ino, base + "-" + hash(path + "\0" + dev + "\0" + ino));
    }

    /** What the copy's {@code source} file holds, to check against and to explain a copy later. */
    public String describe() {
        return path + "\n" + device + "\n" + inode + "\n";
    }

    /**
     * 64-bit FNV-1a, as 16 hex digits: a name, not a secret. SHA-256 cost a joining run about 10 ms
     * (its security providers load at the first use), a fifth of what a join may take.
     */
    static String hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
