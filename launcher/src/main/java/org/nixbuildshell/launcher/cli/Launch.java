package org.nixbuildshell.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.buildspec.Targets;
import org.nixbuildshell.launcher.cancel.Ahead;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.join.JoinedCommand;
import org.nixbuildshell.launcher.kept.KeptBuilds;
import org.nixbuildshell.launcher.kept.KeptListing;
import org.nixbuildshell.launcher.nixconf.NixPlaces;
import org.nixbuildshell.launcher.rootfs.StaleRoots;
import org.nixbuildshell.launcher.run.Host;
import org.nixbuildshell.launcher.run.RootFacts;
import org.nixbuildshell.launcher.run.Sandbox;
import org.nixbuildshell.launcher.run.SandboxPlanner;
import org.nixbuildshell.launcher.run.SandboxUser;
import org.nixbuildshell.launcher.stdenv.BuildLogFinder;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.launcher.workcopy.DiffCommand;
import org.nixbuildshell.launcher.workcopy.Orphans;
import org.nixbuildshell.launcher.workcopy.SessionRoot;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of nix-build-shell, start to cleanup; {@link #run} reads as its table of contents. */
final class Launch {
    private final NixBuildShellCommand options;
    private final long start;
    private final Cancellation cancellation = new Cancellation();
    private final Sandbox sandbox = new Sandbox(cancellation);
    private Logger log;

    Launch(NixBuildShellCommand options, long startMillis) {
        this.options = options;
        this.start = startMillis;
    }

    int run() throws IOException {
        Logging.init(Logging.levelFor(options.verbosity()), "launcher", start);
        log = LoggerFactory.getLogger(Launch.class);
        Phases.mark("logging");
        if (options.list) {
            return KeptListing.run(System.out, System.err, cancellation);
        }
        sandbox.installSignalHandlers();
        BuildSpec build = resolveTarget();
        Phases.mark("target");
        if (options.diff) {
            return DiffCommand.run(build, options.tmpdir);
        }
        SandboxPlanner.Request request = request();
        BuildLogFinder.Lookup failure = failedPhase(build, request);
        SandboxUser user = announce(SandboxUser.current());
        Path tmpdir = tmpdir(user);
        // what killed launchers left: listing a busy TMPDIR takes milliseconds no step here waits for
        Ahead<Void> staleRoots = Ahead.start("stale-roots", () -> {
            StaleRoots.clean(tmpdir);
            return null;
        });
        Session session = new Session(build, request, stdenv(build, failure), failure, user);
        try {
            return enter(session, tmpdir);
        } catch (SyscallException e) {
            throw e.diskFull() ? NoSpace.error(e, tmpdir) : e;
        } finally {
            Ahead.settle(staleRoots);
            Phases.print("launcher");
        }
    }

    /** What this run is about, for the steps after the target is known. */
    private record Session(BuildSpec build, SandboxPlanner.Request request, Stdenv stdenv,
                           BuildLogFinder.Lookup failure, SandboxUser user) {
        boolean interactive() {
            return request.command().isEmpty() && request.terminal() && !request.runsPhase();
        }
    }

    /** The build the user named, or with --last the newest kept build they can see. */
    private BuildSpec resolveTarget() {
        Path target = options.last ? KeptBuilds.last(NixPlaces.system()) : options.target;
        if (options.last) {
            log.info("target: --last: {}", target);
        }
        try {
            BuildSpec build = Targets.resolve(target, options.attr, options.drv, cancellation);
            log.info("build: {} ({} variables, {} input store paths)", build.given(), build.env().variables().size(),
                    build.inputs().size());
            return build;
        } catch (ToolError e) {
            throw e.exitCode() == ExitCodes.NO_BUILD_DIR ? Orphans.explainMissing(e, target, options.tmpdir) : e;
        }
    }

    private SandboxPlanner.Request request() {
        return new SandboxPlanner.Request(options.command, options.shareNet, options.extraBinds(), options.variables(),
                options.phase, options.resume, Sys.isatty(0), System.getenv("TERM"));
    }

    /** A kept stdenv build failed in some phase, which Nix's log names; a derivation target has not run. */
    private BuildLogFinder.Lookup failedPhase(BuildSpec build, SandboxPlanner.Request request) {
        boolean hasSetup = Stdenv.hasSetup(build.env());
        BuildLogFinder.Lookup failure = hasSetup && build instanceof BuildSpec.Kept kept
                ? FailedPhase.lookup(request, kept, cancellation, log) : null;
        if (request.runsPhase()) {
            FailedPhase.checkRunnable(request, hasSetup, failure, build.given());
        }
        return failure;
    }

    private static Stdenv stdenv(BuildSpec build, BuildLogFinder.Lookup failure) {
        return new Stdenv(Stdenv.hasSetup(build.env()),
                failure == null || failure.log() == null ? null : failure.log().failedPhase(),
                !build.files().containsKey(BuildDir.ENV_VARS));
    }

    private SandboxUser announce(SandboxUser user) {
        if (user.sudo()) {
            log.info("user: under sudo: uid 1000 inside is uid {} (gid {}), who gets the copy; root only reads and copies",
                    user.uid(), user.gid());
        } else if (user.root()) {
            log.info("user: root (no SUDO_UID): the sandbox runs as root, uid 1000 inside is root outside");
        }
        return user;
    }

    /**
     * Join the session running on the working copy, or start our own; when that session ends before
     * we are in (its command was short), start ours on the copy.
     */
    private int enter(Session session, Path tmpdir) throws IOException {
        NewSession fresh = new NewSession(sandbox, options, session.build(), session.user(), cancellation, start,
                SandboxPlanner.hostNetwork(session.request(), session.build()));
        boolean separate = options.newSandbox;
        try {
            while (true) {
                SessionRoot root = SessionRoot.open(session.build(), new SessionRoot.Options(tmpdir, options.tmpdir,
                        options.keepRoot, options.fresh, separate), session.user(), cancellation, fresh::start);
                Phases.mark("copy");
                boolean ended = false;
                try {
                    return root.joinInit() > 0 ? join(session, root) : runNew(session, root, fresh);
                } catch (JoinedCommand.SessionEnded e) {
                    log.info("join: {}; starting a sandbox of our own", e.getMessage());
                    ended = true;
                    // an ending session is gone in a moment; one that stays but cannot be joined (another
                    // version's) gets a separate sandbox rather than another try
                    separate = !endsSoon(root.joinInit());
                } finally {
                    sandbox.abandon();
                    root.close(!ended && session.interactive());
                }
            }
        } finally {
            fresh.settle();
            Phases.mark("cleanup");
        }
    }

    /** Whether the init of an ending session is gone within a few seconds. */
    private static boolean endsSoon(int initPid) {
        var init = ProcessHandle.of(initPid);
        if (init.isEmpty()) {
            return true;
        }
        try {
            init.get().onExit().get(3, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Our own sandbox: plan it from what was prepared ahead, record its settings for joiners, run it. */
    private int runNew(Session session, SessionRoot root, NewSession fresh) throws IOException {
        SandboxPlanner.Input input = new SandboxPlanner.Input(session.request(), session.build(),
                RootFacts.read(root.root(), session.build()), fresh.closure(), session.stdenv(), fresh.profile(),
                Host.probe());
        Phases.mark("query");
        var binSh = SandboxPlanner.binSh(input);
        log.info("/bin/sh: {} ({})", binSh.source(), binSh.why());
        SandboxPlan plan = SandboxPlanner.plan(input);
        root.recordSettings(plan.settings());
        Phases.mark("profile");
        if (session.interactive()) {
            System.err.println(Banner.of(session.build(), session.stdenv().setup(), options.shareNet, session.failure()));
        }
        return sandbox.run(plan);
    }

    /**
     * A command in the running session: the session's sandbox and process settings, this run's
     * command. It asks Nix nothing and starts no init.
     */
    private int join(Session session, SessionRoot root) throws IOException {
        if (session.interactive()) {
            System.err.println("nix-build-shell: joining the session already running on " + session.build().given()
                    + " (same /tmp, same processes; it lasts until its last command ends; --new for a sandbox of your own)");
        }
        SandboxPlan.Command command = SandboxPlanner.command(session.request(), session.build(),
                RootFacts.read(root.root(), session.build()), session.stdenv());
        JoinedCommand.awaitRoot(root.joinInit(), root.root());
        ProcessSettings settings;
        try {
            settings = root.sessionSettings();
        } catch (IOException e) {
            // the last one out of the session removed the copy's files between our decision and now
            throw new JoinedCommand.SessionEnded(root.joinInit(), "its settings are gone: " + e.getMessage());
        }
        Phases.mark("profile");
        int status = JoinedCommand.run(root.joinInit(), command, settings);
        Phases.mark("joined");
        return status;
    }

    private Path tmpdir(SandboxUser user) {
        Path dir = options.tmpdir;
        if (dir == null) {
            String env = System.getenv("TMPDIR");
            dir = Path.of(env == null || env.isEmpty() ? "/tmp" : env);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ToolError(ExitCodes.COPY_FAILED, dir + " is not a writable directory",
                    "choose where the copy goes with --tmpdir DIR");
        }
        Path tmpdir = dir.toAbsolutePath();
        if (user.sudo() && !user.canEnter(tmpdir)) {
            throw new ToolError(ExitCodes.COPY_FAILED, "under sudo the sandbox runs as uid " + user.uid() + ", who cannot "
                    + "enter " + tmpdir + " (or a directory above it), where its root would be",
                    "choose a place that user can reach with --tmpdir, e.g. --tmpdir /tmp");
        }
        return tmpdir;
    }
}
