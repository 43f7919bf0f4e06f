package org.nixbuildshell.launcher.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Nix release number, compared numerically (2.8 &lt; 2.15 &lt; 2.23.1). */
public record NixVersion(int major, int minor, int patch) implements Comparable<NixVersion> {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** The first X.Y[.Z] in {@code text} (e.g. "nix-store (Nix) 2.8.0", "2.26"), or null. */
    public static NixVersion find(String text) {
        Matcher m = NUMBER.matcher(text == null ? "" : text);
        if (!m.find()) {
            return null;
        }
        return new NixVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** Like {@link #find}, for versions written in this code. */
    public static NixVersion of(String text) {
        NixVersion v = find(text);
        if (v == null) {
            throw new IllegalArgumentException("not a Nix version: " + text);
        }
        return v;
    }

    @Override
    public int compareTo(NixVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + (patch == 0 ? "" : "." + patch);
    }
}
