package org.nixbuildshell.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.cancel.Ahead;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.profile.NixProfiles;
import org.nixbuildshell.launcher.profile.SandboxProfiles;
import org.nixbuildshell.launcher.rootfs.StaleRoots;
import org.nixbuildshell.launcher.join.JoinedCommand;
import org.nixbuildshell.launcher.kept.KeptBuilds;
import org.nixbuildshell.launcher.kept.KeptListing;
import org.nixbuildshell.launcher.nixconf.NixPlaces;
import org.nixbuildshell.launcher.run.Host;
import org.nixbuildshell.launcher.run.Sandbox;
import org.nixbuildshell.launcher.run.SandboxPlanner;
import org.nixbuildshell.launcher.run.SandboxUser;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.launcher.store.StoreClosure;
import org.nixbuildshell.launcher.workcopy.DiffCommand;
import org.nixbuildshell.launcher.workcopy.Orphans;
import org.nixbuildshell.launcher.workcopy.SessionRoot;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.buildspec.Targets;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SandboxProfile;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of nix-build-shell, start to cleanup. */
final class Launch {
    private final NixBuildShellCommand options;
    private final long start;

    Launch(NixBuildShellCommand options, long startMillis) {
        this.options = options;
        this.start = startMillis;
    }

    int run() throws IOException {
        Logging.init(Logging.levelFor(options.verbosity()), "launcher", start);
        Logger log = LoggerFactory.getLogger(Launch.class);
        Phases.mark("logging");
        Cancellation cancellation = new Cancellation();
        if (options.list) {
            return KeptListing.run(System.out, System.err, cancellation);
        }
        Path target = options.last ? KeptBuilds.last(NixPlaces.system()) : options.target;
        if (options.last) {
            log.info("target: --last: {}", target);
        }
        Sandbox sandbox = new Sandbox(cancellation);
        sandbox.installSignalHandlers();

        BuildSpec build;
        try {
            build = Targets.resolve(target, options.attr, options.drv, cancellation);
        } catch (ToolError e) {
            throw e.exitCode() == ExitCodes.NO_BUILD_DIR ? Orphans.explainMissing(e, target, options.tmpdir) : e;
        }
        EnvVars env = build.env();
        Phases.mark("target");
        if (options.diff) {
            return DiffCommand.run(build, options.tmpdir);
        }
        log.info("build: {} ({} variables, {} input store paths)", build.given(), env.variables().size(),
                build.inputs().size());
        boolean hasSetup = Stdenv.hasSetup(env);
        SandboxPlanner.Request request = new SandboxPlanner.Request(options.command, options.shareNet,
                options.extraBinds(), options.variables(), options.phase, options.resume);
        // a kept build failed in some phase, which Nix's log names; a derivation target has not run
        BuildLogFinder.Lookup failure = hasSetup && build.kept() != null
                ? FailedPhase.lookup(request, build, cancellation, log) : null;
        if (request.runsPhase()) {
            FailedPhase.checkRunnable(request, hasSetup, failure, build.given());
        }
        SandboxUser user = SandboxUser.current();
        if (user.sudo()) {
            log.info("user: under sudo: uid 1000 inside is uid {} (gid {}), who gets the copy; root only reads and copies",
                    user.uid(), user.gid());
        } else if (user.root()) {
            log.info("user: root (no SUDO_UID): the sandbox runs as root, uid 1000 inside is root outside");
        }
        Path tmpdir = tmpdir();
        if (user.sudo() && !user.canEnter(tmpdir)) {
            throw new ToolError(ExitCodes.COPY_FAILED, "under sudo the sandbox runs as uid " + user.uid() + ", who cannot "
                    + "enter " + tmpdir + " (or a directory above it), where its root would be",
                    "choose a place that user can reach with --tmpdir, e.g. --tmpdir /tmp");
        }
        StaleRoots.clean(tmpdir);
        boolean terminal = Sys.isatty(0);
        boolean interactive = options.command.isEmpty() && terminal && !request.runsPhase();
        SessionRoot temp = null;
        List<Ahead<SandboxProfile>> profile = new ArrayList<>(1);
        List<Ahead<List<String>>> closure = new ArrayList<>(1);
        try {
            // Join a running session, or start our own; when the session ends before we are in, start ours.
            // A new session only (a joining run starts no init and asks Nix nothing): init's JVM boots,
            // and Nix answers the closure and version queries, while we copy; init then waits for the plan.
            Stdenv stdenv = new Stdenv(hasSetup, failure == null || failure.log() == null ? null : failure.log().failedPhase(),
                    !build.files().containsKey(BuildDir.ENV_VARS));
            while (true) {
                temp = SessionRoot.open(build, new SessionRoot.Options(tmpdir, options.tmpdir, options.keepRoot,
                        options.fresh, options.newSandbox), user, cancellation, () -> {
                            Phases.mark("decided");
                            sandbox.start(!options.shareNet, Logging.levelFor(options.verbosity()), start, user);
                            Phases.mark("clone");
                            profile.add(Ahead.start("profile",
                                    () -> SandboxProfiles.choose(options.nixVersion, build.kept(), cancellation)));
                            if (!options.fullStore) {
                                closure.add(Ahead.start("closure", () -> closure(build.inputs(), cancellation, log)));
                            }
                            return sandbox.initPid();
                        });
                Phases.mark("copy");
                if (temp.joinInit() > 0) {
                    // the session's sandbox is made already: of the plan, only the command (argv, environment,
                    // rc script, directory) is used, and none of it depends on the profile
                    SandboxPlan plan = SandboxPlanner.plan(request, build, temp.root(), null, terminal,
                            System.getenv("TERM"), stdenv, NixProfiles.forVersion(NixProfiles.newestMeasured()), Host.probe());
                    if (interactive) {
                        System.err.println("nix-build-shell: joining the session already running on " + build.given()
                                + " (same /tmp, same processes; it ends when that session ends; --new for a sandbox of your own)");
                    }
                    Phases.mark("profile");
                    try {
                        int status = JoinedCommand.run(temp.joinInit(), plan);
                        Phases.mark("joined");
                        return status;
                    } catch (JoinedCommand.SessionEnded e) {
                        // its command was short: nothing to join now, so a sandbox of our own on the copy
                        log.info("join: {}; starting a sandbox of our own", e.getMessage());
                        temp.close(false);
                        temp = null;
                        continue;
                    }
                }
                break;
            }
            List<String> storePaths = closure.isEmpty() ? null : closure.get(0).get();
            Phases.mark("query");
            SandboxPlan plan = SandboxPlanner.plan(request, build, temp.root(), storePaths, terminal,
                    System.getenv("TERM"), stdenv, profile.get(0).get(), Host.probe());
            Phases.mark("profile");
            if (interactive) {
                System.err.println(banner(build, hasSetup, failure));
            }
            return sandbox.run(plan);
        } catch (SyscallException e) {
            throw e.diskFull() ? NoSpace.error(e, tmpdir) : e;
        } finally {
            sandbox.abandon();
            profile.forEach(Ahead::settle); // no nix-store of ours outlives us
            closure.forEach(Ahead::settle);
            if (temp != null) {
                temp.close(interactive);
            }
            Phases.mark("cleanup");
            Phases.print("launcher");
        }
    }

    private Path tmpdir() {
        Path dir = options.tmpdir;
        if (dir == null) {
            String env = System.getenv("TMPDIR");
            dir = Path.of(env == null || env.isEmpty() ? "/tmp" : env);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ToolError(ExitCodes.COPY_FAILED, dir + " is not a writable directory",
                    "choose where the copy goes with --tmpdir DIR");
        }
        return dir.toAbsolutePath();
    }

    private static List<String> closure(Set<String> roots, Cancellation cancellation, Logger log) {
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

    private String banner(BuildSpec build, boolean hasSetup, BuildLogFinder.Lookup failure) {
        StringBuilder b = new StringBuilder("nix-build-shell: in the build sandbox of ").append(build.name())
                .append(" (").append(build.given()).append(")");
        b.append(build.source() != null ? ", on a copy at /build." : ", before any build: /build holds only what Nix gives the builder.");
        if (hasSetup) {
            b.append(" stdenv's setup is sourced: genericBuild, runPhase and the phases are available.");
        }
        if (options.shareNet) {
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
