package org.nixbuildshell.launcher.cli;

import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;

/** What an interactive session says first: where it is, what is there, and the failed phase. */
final class Banner {
    private Banner() {}

    static String of(BuildSpec build, boolean hasSetup, boolean shareNet, BuildLogFinder.Lookup failure) {
        StringBuilder b = new StringBuilder("nix-build-shell: in the build sandbox of ").append(build.name())
                .append(" (").append(build.given()).append(")");
        b.append(build instanceof BuildSpec.Kept ? ", on a copy at /build."
                : ", before any build: /build holds only what Nix gives the builder.");
        if (hasSetup) {
            b.append(" stdenv's setup is sourced: genericBuild, runPhase and the phases are available.");
        }
        if (build.fixedOutput()) {
            b.append(" The network is on: a fixed-output derivation (it names its output's hash) gets the host's"
                    + " network in Nix's sandbox.");
        } else if (shareNet) {
            b.append(" The host network is shared (--share-net).");
        }
        b.append(" Leave with 'exit' or Ctrl-D.");
        if (build.note() != null) {
            b.append('\n').append(build.note());
        }
        if (failure != null) {
            b.append('\n').append(FailedPhase.summary(failure));
        }
        return b.toString();
    }
}
