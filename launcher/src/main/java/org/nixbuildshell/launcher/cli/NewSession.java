package org.nixbuildshell.launcher.cli;

import java.util.List;
import java.util.Set;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.cancel.Ahead;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.profile.ProfileChoice;
import org.nixbuildshell.launcher.profile.SandboxProfiles;
import org.nixbuildshell.launcher.run.Sandbox;
import org.nixbuildshell.launcher.run.SandboxUser;
import org.nixbuildshell.launcher.store.StoreClosure;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run that starts a sandbox of its own starts ahead, while it copies the build: init (its JVM
 * boots, then waits for the plan), and Nix's answers for the profile (the host's version) and the
 * closure. A run that joins a running session starts none of it.
 */
final class NewSession {
    private static final Logger log = LoggerFactory.getLogger(NewSession.class);

    private final Sandbox sandbox;
    private final NixBuildShellCommand options;
    private final BuildSpec build;
    private final SandboxUser user;
    private final Cancellation cancellation;
    private final long startMillis;
    private final boolean hostNetwork;
    private Ahead<ProfileChoice> profile;
    private Ahead<List<String>> closure;

    /** @param hostNetwork the sandbox shares the host's network ({@code SandboxPlanner.hostNetwork}): no net namespace */
    NewSession(Sandbox sandbox, NixBuildShellCommand options, BuildSpec build, SandboxUser user,
               Cancellation cancellation, long startMillis, boolean hostNetwork) {
        this.sandbox = sandbox;
        this.options = options;
        this.build = build;
        this.user = user;
        this.cancellation = cancellation;
        this.startMillis = startMillis;
        this.hostNetwork = hostNetwork;
    }

    /** Clones init and starts the queries; returns init's pid (the working copy records it). */
    int start() {
        Phases.mark("decided");
        sandbox.start(!hostNetwork, Logging.levelFor(options.verbosity()), startMillis, user);
        Phases.mark("clone");
        var kept = build instanceof BuildSpec.Kept k ? k.dir() : null;
        profile = Ahead.start("profile", () -> SandboxProfiles.choose(options.nixVersion, kept, cancellation));
        if (!options.fullStore) {
            closure = Ahead.start("closure", () -> closure(build.inputs(), cancellation));
        }
        return sandbox.initPid();
    }

    ProfileChoice profile() {
        return profile.get();
    }

    /** The build's inputs with their closure, or null for the whole store (--full-store, or no answer). */
    List<String> closure() {
        return closure == null ? null : closure.get();
    }

    /** On the way out: no nix-store of ours outlives us. */
    void settle() {
        Ahead.settle(profile);
        Ahead.settle(closure);
    }

    private static List<String> closure(Set<String> roots, Cancellation cancellation) {
        StoreClosure.Result result = StoreClosure.of(roots, cancellation);
        if (result.paths() == null) {
            // one line: the cause, and what happens instead
            log.warn("cannot compute the build's inputs ({}); mounting the whole /nix/store read-only instead"
                    + " (--full-store skips the query)", result.failure());
            return null;
        }
        log.info("store: {} input paths", result.paths().size());
        return result.paths();
    }
}
