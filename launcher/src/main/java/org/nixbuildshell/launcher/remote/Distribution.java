package org.nixbuildshell.launcher.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * What runs nix-build-shell, as it is on this machine: the entry script
 * (scripts/nix-build-shell), the jars and jvm.conf of launcher/target/lib and
 * JNA's native library under launcher/target/native, at those paths relative
 * to one root, which is a checkout's layout: the entry script finds lib/ there
 * by itself. The manifest lists each file with its SHA-256, in sha256sum's
 * format, so a builder checks a copy with {@code sha256sum -c}.
 */
public record Distribution(Path root, List<Path> files, String manifest) {
    static final String LIB = "launcher/target/lib";
    static final String NATIVE = "launcher/target/native";
    static final String SCRIPT = "scripts/nix-build-shell";
    /** The manifest's name in a shipped copy. */
    static final String MANIFEST = "nix-build-shell.sha256";

    /** This JVM's distribution, from the lib directory the entry script passed (-Dnbs.lib). */
    static Distribution current() {
        String lib = System.getProperty("nbs.lib");
        Path root = lib == null ? null : Path.of(lib).toAbsolutePath().normalize().getParent().getParent().getParent();
        if (root == null || !root.resolve(LIB).equals(Path.of(lib).toAbsolutePath().normalize())
                || !Files.isRegularFile(root.resolve(SCRIPT))) {
            throw new ToolError(ExitCodes.REMOTE_SHIP_FAILED, "cannot ship nix-build-shell to the builder: this copy is not "
                    + "laid out as a checkout (" + SCRIPT + " and " + LIB + " under one directory; lib is " + lib + ")",
                    "run nix-build-shell from its checkout (scripts/nix-build-shell), or install it on the builder too");
        }
        try {
            List<Path> files = new ArrayList<>();
            files.add(Path.of(SCRIPT));
            try (Stream<Path> libs = Files.list(root.resolve(LIB))) {
                libs.filter(p -> p.toString().endsWith(".jar") || p.getFileName().toString().equals("jvm.conf"))
                        .filter(Files::isRegularFile).sorted().forEach(p -> files.add(root.relativize(p)));
            }
            try (Stream<Path> natives = Files.walk(root.resolve(NATIVE))) {
                natives.filter(Files::isRegularFile).sorted().forEach(p -> files.add(root.relativize(p)));
            }
            StringBuilder manifest = new StringBuilder();
            for (Path f : files) {
                manifest.append(sha256(Files.readAllBytes(root.resolve(f)))).append("  ").append(f).append('\n');
            }
            return new Distribution(root, List.copyOf(files), manifest.toString());
        } catch (IOException e) {
            throw new ToolError(ExitCodes.REMOTE_SHIP_FAILED, "cannot read nix-build-shell's own files under " + root
                    + ": " + e.getMessage(), "build it again (mvn -B -DskipTests package)", e);
        }
    }

    /** A short name of this exact set of files: the manifest's hash. */
    String hash() {
        return sha256(manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** The files and the manifest as one tar stream, for the builder's tar -x. */
    void writeTar(OutputStream out) throws IOException {
        Tar tar = new Tar(out);
        for (Path f : files) {
            Path p = root.resolve(f);
            tar.file(f.toString(), Files.isExecutable(p) ? 0755 : 0644, Files.readAllBytes(p));
        }
        tar.file(MANIFEST, 0644, manifest.getBytes(StandardCharsets.UTF_8));
        tar.finish();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
