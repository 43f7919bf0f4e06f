package org.nixbuildshell.launcher.workcopy;

import static org.nixbuildshell.launcher.derivation.BuilderEnvironment.inBuildTop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code --diff}: what changed in the working copy's /build, as a patch for {@code patches = [ ... ];}.
 *
 * <p>Which files: those the manifest says changed since the copy, so the unpacked tree's untouched
 * files never appear, whatever the kept directory's permissions. Their old text is read from the
 * kept directory. Paths are relative to the source root (where the build failed) with a/ and b/,
 * for {@code patch -p1}. Build products and binary files, files outside the source root and files
 * whose original the Nix build user kept unreadable are not in the patch: stderr names them in
 * one line each.
 */
public final class PatchWriter {
    /** Object files, libraries, byte code, dependency files, autotools' logs, and their directories. */
    private static final Pattern PRODUCT = Pattern.compile(
            "(^|.*/)((\\.deps|\\.libs|__pycache__|CMakeFiles|target|build)/.*"
                    + "|[^/]*\\.(o|a|so|so\\.[0-9.]+|lo|la|d|gch|pyc|pyo|class|obj|mod|Plo|Po|stamp)"
                    + "|config\\.log|config\\.status|libtool|stamp-h[0-9]*)$");
    private static final int LISTED = 5;

    private final Path kept;
    private final Path copy;
    private final String sourceRoot;

    /**
     * @param kept       the kept directory (/build of the failed build)
     * @param copy       the working copy's build tree
     * @param sourceRoot the source root relative to /build ("" for /build itself)
     */
    public PatchWriter(Path kept, Path copy, String sourceRoot) {
        this.kept = kept;
        this.copy = copy;
        this.sourceRoot = sourceRoot;
    }

    /** Writes the patch to {@code out} and the summary lines to {@code err}; returns files in the patch. */
    public int write(Manifest.Changes changes, PrintStream out, PrintStream err) throws IOException {
        Set<String> paths = new TreeSet<>();
        paths.addAll(changes.changed());
        paths.addAll(changes.added());
        paths.addAll(changes.removed());
        List<String> products = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<String> other = new ArrayList<>();
        int written = 0;
        for (String path : paths) {
            Path now = copy.resolve(path);
            Path before = kept.resolve(path);
            boolean existsNow = Files.exists(now, LinkOption.NOFOLLOW_LINKS);
            boolean existedBefore = !changes.added().contains(path);
            if (changes.isDirectory(path)) {
                continue; // a directory shows through its files
            }
            String rel = relative(path);
            if (rel == null) {
                outside.add(inBuildTop(path));
                continue;
            }
            if (PRODUCT.matcher(rel).matches()) {
                products.add(rel);
                continue;
            }
            if ((existsNow && !Files.isRegularFile(now, LinkOption.NOFOLLOW_LINKS))
                    || (existedBefore && Files.exists(before, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(before, LinkOption.NOFOLLOW_LINKS))) {
                other.add(rel);
                continue;
            }
            byte[] newBytes = existsNow ? read(now) : new byte[0];
            byte[] oldBytes = existedBefore ? read(before) : new byte[0];
            if (newBytes == null) {
                other.add(rel);
                continue;
            }
            if (oldBytes == null) {
                unreadable.add(rel);
                continue;
            }
            String newText = text(newBytes);
            String oldText = text(oldBytes);
            if (newText == null || oldText == null) {
                products.add(rel);
                continue;
            }
            String hunks = UnifiedDiff.hunks(oldText, newText);
            if (hunks == null) {
                other.add(rel + " (too different to diff)");
                continue;
            }
            if (hunks.isEmpty()) {
                continue; // only its time or mode changed
            }
            out.print("--- " + (existedBefore ? "a/" + rel : "/dev/null") + "\n");
            out.print("+++ " + (existsNow ? "b/" + rel : "/dev/null") + "\n");
            out.print(hunks);
            written++;
        }
        out.flush();
        summary(err, products, "build product(s) or binary file(s), not in the patch");
        summary(err, outside, "changed file(s) outside the source root " + inBuildTop(sourceRoot) + ", not in the patch");
        summary(err, unreadable, "changed file(s) whose original in the kept directory cannot be read (it belongs to the Nix build user; sudo chmod -R a+rX "
                + kept + "), not in the patch");
        summary(err, other, "changed symlink(s), special or unreadable file(s), not in the patch");
        return written;
    }

    /** The path under the source root, or null outside it. */
    private String relative(String path) {
        if (sourceRoot.isEmpty()) {
            return path;
        }
        return path.startsWith(sourceRoot + "/") ? path.substring(sourceRoot.length() + 1) : null;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** UTF-8 text without NUL bytes, or null for a binary file. */
    private static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void summary(PrintStream err, List<String> files, String what) {
        if (files.isEmpty()) {
            return;
        }
        err.println("nix-build-shell: " + files.size() + " " + what + ": "
                + String.join(", ", files.subList(0, Math.min(LISTED, files.size()))) + (files.size() > LISTED ? ", ..." : ""));
    }
}
