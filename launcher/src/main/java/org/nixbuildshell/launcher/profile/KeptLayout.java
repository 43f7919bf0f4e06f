package org.nixbuildshell.launcher.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.nixbuildshell.launcher.builddir.BuildDir;

/**
 * Which Nix versions can have kept a directory of this shape (docs/ARCHITECTURE.md,
 * "Profiles"): Nix's own naming, so it
 * holds whatever Nix the host has now.
 *
 * @param from  the oldest such version, or null for any
 * @param until the newest such version, or null for any
 * @param shape the evidence in words
 */
public record KeptLayout(NixVersion from, NixVersion until, String shape, boolean lix) {

    public KeptLayout(NixVersion from, NixVersion until, String shape) {
        this(from, until, shape, false);
    }

    /**
     * One way Nix has named kept directories, as a row: the kept directory's name, its parent's (null:
     * any), the versions that name them so, and the evidence in words (%1$s the name, %2$s the parent's).
     */
    private record Shape(Pattern name, Pattern outer, String from, String until, boolean lix, String words) {
        KeptLayout match(String dirName, String outerName) {
            boolean outerFits = outer == null || !outerName.isEmpty() && outer.matcher(outerName).matches();
            return name.matcher(dirName).matches() && outerFits
                    ? new KeptLayout(from == null ? null : NixVersion.of(from), until == null ? null : NixVersion.of(until),
                            String.format(words, dirName, outerName), lix)
                    : null;
        }
    }

    private static final List<Shape> SHAPES = List.of(
        new Shape(Pattern.compile("build"), Pattern.compile("nix-\\d+-\\d+"), "2.32", null, false,
                "build/ inside %2$s (nix-PID-RANDOM)"),
        new Shape(Pattern.compile("build"), Pattern.compile("nix-build-.+\\.drv-\\d+(-\\d+)?"), "2.23.1", "2.31", false,
                "build/ inside %2$s"),
        new Shape(Pattern.compile("b"), Pattern.compile(".+"), "2.18", null, true, "b/ inside %2$s (Lix, forked from Nix 2.18)"),
        new Shape(Pattern.compile("nix-build-.+\\.drv-\\d+"), null, null, "2.23", false, "%1$s without an inner build/"));

    /** The evidence of {@code build}'s layout, or null when its names say nothing (renamed, copied). */
    public static KeptLayout of(BuildDir build) {
        Path top = build.top();
        String name = top.getFileName().toString();
        Path parent = top.getParent();
        String outer = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        for (Shape shape : SHAPES) {
            KeptLayout layout = shape.match(name, outer);
            if (layout != null) {
                return layout;
            }
        }
        return null;
    }

    public boolean admits(NixVersion v) {
        return (from == null || from.compareTo(v) <= 0) && (until == null || v.compareTo(until) <= 0);
    }

    /** {@code v} moved into the range. */
    public NixVersion clamp(NixVersion v) {
        if (from != null && v.compareTo(from) < 0) {
            return from;
        }
        return until != null && v.compareTo(until) > 0 ? until : v;
    }

    public String range() {
        return "Nix " + (from == null ? "up to " + until : until == null ? from + " or later" : from + " to " + until);
    }
}
