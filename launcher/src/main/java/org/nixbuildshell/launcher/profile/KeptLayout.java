package org.nixbuildshell.launcher.profile;

import java.nio.file.Path;
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
public record KeptLayout(NixVersion from, NixVersion until, String shape) {
    private static final Pattern FLAT = Pattern.compile("nix-build-.+\\.drv-\\d+");
    private static final Pattern NAMED_OUTER = Pattern.compile("nix-build-.+\\.drv-\\d+(-\\d+)?");
    private static final Pattern PID_RANDOM = Pattern.compile("nix-\\d+-\\d+");

    /** The evidence of {@code build}'s layout, or null when its names say nothing (renamed, copied). */
    public static KeptLayout of(BuildDir build) {
        Path top = build.top();
        String name = top.getFileName().toString();
        Path parent = top.getParent();
        String outer = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        if (name.equals("build") && PID_RANDOM.matcher(outer).matches()) {
            return new KeptLayout(NixVersion.of("2.32"), null, "build/ inside " + outer + " (nix-PID-RANDOM)");
        }
        if (name.equals("build") && NAMED_OUTER.matcher(outer).matches()) {
            return new KeptLayout(NixVersion.of("2.23.1"), NixVersion.of("2.31"), "build/ inside " + outer);
        }
        if (name.equals("b") && !outer.isEmpty()) {
            return new KeptLayout(NixVersion.of("2.18"), null, "b/ inside " + outer + " (Lix, forked from Nix 2.18)");
        }
        if (FLAT.matcher(name).matches()) {
            return new KeptLayout(null, NixVersion.of("2.23"), name + " without an inner build/");
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
