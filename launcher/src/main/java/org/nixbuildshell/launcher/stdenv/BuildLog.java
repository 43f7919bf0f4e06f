package org.nixbuildshell.launcher.stdenv;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Nix's log of a failed stdenv build says: stdenv's runPhase prints
 * {@code @nix { "action": "setPhase", "phase": "NAME" }} to NIX_LOG_FD before
 * each phase, so the last such line names the phase that failed.
 *
 * @param source      whose log it is (the derivation, for messages)
 * @param failedPhase the last setPhase, or null when the log has none
 * @param tail        the last lines that are not noise (no @nix lines, no phase headers, no blank lines)
 */
public record BuildLog(String source, String failedPhase, List<String> tail) {
    /** How many lines of the log's end the banner shows. */
    public static final int TAIL = 8;

    private static final Pattern SET_PHASE =
            Pattern.compile("^@nix \\{\\s*\"action\"\\s*:\\s*\"setPhase\"\\s*,\\s*\"phase\"\\s*:\\s*\"([^\"]+)\"\\s*}\\s*$");

    /** What showPhaseHeader prints: "Running phase: X" today, these words in older nixpkgs. */
    private static final Set<String> OLD_HEADERS = Set.of("unpacking sources", "patching sources", "configuring",
            "building", "running tests", "installing", "post-installation fixup", "running install tests");

    public static BuildLog parse(String source, String text) {
        String phase = null;
        Deque<String> tail = new ArrayDeque<>();
        for (String line : text.split("\r?\n")) {
            Matcher m = SET_PHASE.matcher(line);
            if (m.matches()) {
                phase = m.group(1);
            } else if (!isNoise(line, phase)) {
                tail.addLast(line);
                if (tail.size() > TAIL) {
                    tail.removeFirst();
                }
            }
        }
        return new BuildLog(source, phase, List.copyOf(tail));
    }

    private static boolean isNoise(String line, String phase) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("@nix ") || s.startsWith("Running phase: ") || OLD_HEADERS.contains(s)
                || s.equals(phase);
    }
}
