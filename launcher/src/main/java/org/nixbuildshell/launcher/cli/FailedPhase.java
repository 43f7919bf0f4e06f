package org.nixbuildshell.launcher.cli;

import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.run.SandboxPlanner;
import org.nixbuildshell.launcher.stdenv.BuildLog;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.slf4j.Logger;

/** The phase a stdenv build failed in, as Launch needs it: looked up, checked for --resume, told in the banner. */
final class FailedPhase {
    private FailedPhase() {}

    /**
     * Nix's log, read when the failed phase matters: for the interactive shell and stdin
     * scripts (state and banner) and for --resume without --phase.
     */
    static BuildLogFinder.Lookup lookup(SandboxPlanner.Request request, BuildSpec.Kept build, Cancellation cancellation,
                                        Logger log) {
        boolean needed = request.runsPhase() ? request.resume() && request.phase() == null : request.command().isEmpty();
        if (!needed) {
            return null;
        }
        BuildLogFinder.Lookup lookup = BuildLogFinder.find(build.env(), build.dir(), cancellation);
        if (lookup.log() != null) {
            log.info("log: {} (failed in {})", lookup.log().source(), lookup.log().failedPhase());
        } else {
            log.info("log: {}", lookup.missing());
        }
        return lookup;
    }

    /** --phase and --resume need a stdenv, and --resume a phase to start from. */
    static void checkRunnable(SandboxPlanner.Request request, boolean hasSetup, BuildLogFinder.Lookup lookup,
                              String given) {
        String option = request.resume() ? "--resume" : "--phase";
        if (!hasSetup) {
            throw new ToolError(ExitCodes.USAGE, option + ": this build has no stdenv ($stdenv/setup), so it has no phases",
                    "run a command instead, e.g. nix-build-shell " + given + " make");
        }
        if (request.resume() && request.phase() == null && (lookup.log() == null || lookup.log().failedPhase() == null)) {
            String why = lookup.log() == null ? lookup.missing() : "Nix's log of " + lookup.log().source() + " names no phase";
            throw new ToolError(ExitCodes.USAGE, "--resume: the phase the build failed in is unknown: " + why,
                    "name the phase to resume from, e.g. nix-build-shell --resume --phase buildPhase " + given);
        }
    }

    /** The failed phase and the end of the log, or one line saying there is no log. */
    static String summary(BuildLogFinder.Lookup lookup) {
        BuildLog buildLog = lookup.log();
        if (buildLog == null) {
            return "nix-build-shell: the failed phase is unknown: " + lookup.missing() + ".";
        }
        if (buildLog.failedPhase() == null) {
            return "nix-build-shell: Nix's log of " + buildLog.source() + " names no phase.";
        }
        StringBuilder b = new StringBuilder("nix-build-shell: the build failed in ").append(buildLog.failedPhase())
                .append(" (its state is restored: run it with 'runPhase ").append(buildLog.failedPhase())
                .append("'). The end of Nix's log of ").append(buildLog.source())
                .append(lookup.how() == null ? "" : " (" + lookup.how() + ")").append(':');
        buildLog.tail().forEach(line -> b.append("\n  | ").append(line));
        return b.toString();
    }
}
