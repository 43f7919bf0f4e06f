package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher's temporary directory, {@code TMPDIR/nix-build-shell-XXXX}:
 * <pre>
 *   owner   pid and start time of the launcher, for stale-root cleanup
 *   kept    present when --keep-root asked to keep it
 *   root/   the new /: build (the copy), tmp, nix/store, etc, dev, proc, bin
 * </pre>
 */
public final class TempRoot {
    public static final String PREFIX = "nix-build-shell-";

    private final Path dir;

    private TempRoot(Path dir) {
        this.dir = dir;
    }

    public static TempRoot create(Path tmpdir) throws IOException {
        Path dir = Files.createTempDirectory(tmpdir, PREFIX);
        Files.writeString(dir.resolve("owner"), ProcessIdentity.self(), StandardCharsets.US_ASCII);
        Files.createDirectory(dir.resolve("root"));
        return new TempRoot(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path root() {
        return dir.resolve("root");
    }

    public Path build() {
        return root().resolve("build");
    }

    public void markKept() {
        try {
            Files.writeString(dir.resolve("kept"), "kept by --keep-root\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete() throws IOException {
        Trees.deleteRecursively(dir);
    }
}
