package org.nixbuildshell.launcher.run;

/** A host path brought in with --bind or --ro-bind. */
public record ExtraBind(String source, String target, boolean readOnly) {

    /** Parses {@code SRC[:DST]}; DST defaults to SRC. */
    public static ExtraBind parse(String spec, boolean readOnly) {
        int colon = spec.indexOf(':');
        String source = colon < 0 ? spec : spec.substring(0, colon);
        String target = colon < 0 ? spec : spec.substring(colon + 1);
        return new ExtraBind(source, target, readOnly);
    }
}
