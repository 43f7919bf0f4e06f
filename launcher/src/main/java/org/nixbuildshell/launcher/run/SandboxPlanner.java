package org.nixbuildshell.launcher.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.derivation.BuilderEnvironment;
import org.nixbuildshell.launcher.profile.BinSh;
import org.nixbuildshell.launcher.profile.ProfileChoice;
import org.nixbuildshell.launcher.profile.SandboxProfile;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SetupOp;

/**
 * Decides what the sandbox holds (the profile of the Nix that made the build) and how the command
 * starts; init carries the plan out. A function of its inputs: it reads no disk and logs nothing.
 */
public final class SandboxPlanner {
    /** A tmpfs's size: half the memory, as the kernel's default for tmpfs. */
    private static final String SHM_OPTIONS = "mode=1777,size=50%";
    /**
     * The store view: a tmpfs with Nix's store mode, so the inputs' mount points are made in memory and
     * vanish with the sandbox (nothing to remove from disk); the outputs a build writes live there too.
     */
    private static final String STORE_OPTIONS = "mode=1775,size=50%";
    /** The mode of directories made for mount points (/dev, /nix/store/…, /bin). */
    private static final int MOUNT_POINT_MODE = 0755;

    /**
     * What the user asked for on the command line, and how they called.
     *
     * @param phase    --phase NAME, or null
     * @param resume   --resume: from {@code phase} (or the failed phase) through the remaining phases
     * @param terminal whether stdin is a terminal
     * @param term     the caller's TERM, or null
     */
    public record Request(List<String> command, boolean shareNet, List<ExtraBind> binds,
                          Map<String, String> setenv, String phase, boolean resume, boolean terminal, String term) {

        /** Whether a stdenv phase is to run (--phase, --resume) rather than a command or a shell. */
        public boolean runsPhase() {
            return phase != null || resume;
        }
    }

    /**
     * Everything a plan is made of.
     *
     * @param storePaths the closure to bind one by one, or null for the whole store read-only
     * @param stdenv     the build's stdenv, and the phase it failed in when known
     * @param profile    the sandbox of the Nix that made the build, and its version
     * @param host       what exists on this machine ({@link Host#probe()})
     */
    public record Input(Request request, BuildSpec build, RootFacts root, List<String> storePaths, Stdenv stdenv,
                        ProfileChoice profile, Host host) {}

    /**
     * How the command is started; each reads a script from fd 3: COMMAND and PHASE as the
     * shell's script file, INTERACTIVE as its rc file, STDIN_SCRIPT through BASH_ENV.
     */
    public enum Mode { COMMAND, INTERACTIVE, STDIN_SCRIPT, PHASE }

    private SandboxPlanner() {}

    public static SandboxPlan plan(Input in) {
        SandboxProfile profile = in.profile().profile();
        boolean hostNetwork = hostNetwork(in.request(), in.build());
        List<SetupOp> ops = new ArrayList<>(Skeleton.steps(profile, hostNetwork));
        String root = in.root().root().toString();
        ops.add(SetupOp.makePrivate());
        ops.add(SetupOp.bind(root, "/", false, MOUNT_POINT_MODE)); // a mount of its own, to seal at the end
        ops.addAll(mounts(in, hostNetwork));
        ops.add(SetupOp.remountReadOnly("/"));
        ProcessSettings settings = profile.settings(in.profile().version(), in.build().env().get("system"));
        return new SandboxPlan(root, "localhost", "(none)", !hostNetwork, profile.name(), ops,
                command(in.request(), in.build(), in.root(), in.stdenv()), settings);
    }

    /** The host's network: a fixed-output derivation has it in Nix's sandbox, and --share-net asks for it. */
    public static boolean hostNetwork(Request request, BuildSpec build) {
        return request.shareNet() || build.fixedOutput();
    }

    /** Where /bin/sh comes from, for the plan and for -v. */
    public static BinSh binSh(Input in) {
        return BinSh.choose(in.profile().profile(), in.host().sandboxPathsSh(), in.build().shell(), in.host()::has);
    }

    /** The mounts, in order: the copy, /tmp, the store, /bin/sh, /dev, /proc, the network's files, --bind. */
    private static List<SetupOp> mounts(Input in, boolean hostNetwork) {
        Path root = in.root().root();
        List<SetupOp> mounts = new ArrayList<>();
        mounts.add(bind(root.resolve("build").toString(), BuilderEnvironment.BUILD_TOP, false));
        mounts.add(bind(root.resolve("tmp").toString(), "/tmp", false));
        if (in.storePaths() == null) {
            mounts.add(SetupOp.rbind("/nix/store", "/nix/store", true, MOUNT_POINT_MODE));
        } else {
            mounts.add(SetupOp.tmpfs("/nix/store", STORE_OPTIONS, MOUNT_POINT_MODE));
            for (String path : in.storePaths()) {
                mounts.add(bind(path, path, false));
            }
            mounts.add(SetupOp.sealBelow("/nix/store")); // all inputs read-only in one call, the store writable
        }
        mounts.add(bind(binSh(in).source(), "/bin/sh", true));
        // Read-only binds: reading and writing a device node is unaffected, but chmod and chown
        // fail, which matters when the caller is root and uid 1000 inside owns the host's nodes.
        for (String device : in.profile().profile().devices()) {
            if (in.host().has("/dev/" + device)) {
                mounts.add(bind("/dev/" + device, "/dev/" + device, true));
            }
        }
        mounts.add(SetupOp.rbind("/dev/pts", "/dev/pts", true, MOUNT_POINT_MODE));
        mounts.add(SetupOp.tmpfs("/dev/shm", SHM_OPTIONS, MOUNT_POINT_MODE));
        mounts.add(SetupOp.proc("/proc", MOUNT_POINT_MODE));
        if (hostNetwork) {
            // what Nix gives fixed-output derivations, which have the network
            for (String file : Host.NETWORK_FILES) {
                if (in.host().has(file)) {
                    mounts.add(bind(file, file, true));
                }
            }
        }
        for (ExtraBind bind : in.request().binds()) {
            mounts.add(SetupOp.rbind(bind.source(), bind.target(), bind.readOnly(), MOUNT_POINT_MODE));
        }
        return mounts;
    }

    private static SetupOp bind(String source, String target, boolean readOnly) {
        return SetupOp.bind(source, target, readOnly, MOUNT_POINT_MODE);
    }

    /** The command, its environment, its directory and its script: also what a joining run starts. */
    public static SandboxPlan.Command command(Request request, BuildSpec build, RootFacts root, Stdenv stdenv) {
        Mode mode = request.runsPhase() ? Mode.PHASE
                : request.command().isEmpty() ? (request.terminal() ? Mode.INTERACTIVE : Mode.STDIN_SCRIPT) : Mode.COMMAND;
        boolean attrs = root.structuredAttrs();
        List<String> argv = new ArrayList<>();
        List<String> environment = new ArrayList<>();
        String rc = null;
        argv.add(build.shell());
        switch (mode) {
            case COMMAND -> {
                boolean innerShell = stdenv.setup() && isBashScript(request.command());
                argv.add(ShellScripts.SCRIPT_FILE);
                argv.addAll(request.command());
                rc = ShellScripts.command(attrs, request.setenv(), stdenv, innerShell);
            }
            case INTERACTIVE -> {
                argv.addAll(List.of("--rcfile", "/dev/fd/3", "-i"));
                rc = ShellScripts.rc(attrs, request.setenv(), stdenv, root.workdir());
            }
            case STDIN_SCRIPT -> {
                argv.add("-s");
                environment.add("BASH_ENV=/dev/fd/3");
                rc = ShellScripts.rc(attrs, request.setenv(), stdenv, root.workdir());
            }
            case PHASE -> {
                argv.add(ShellScripts.SCRIPT_FILE);
                rc = ShellScripts.phase(attrs, request.setenv(), stdenv,
                        request.phase() != null ? request.phase() : stdenv.failedPhase(), request.resume());
            }
        }
        if (request.terminal() && request.term() != null) {
            environment.add("TERM=" + request.term());
        }
        return new SandboxPlan.Command(argv, environment, root.workdir(), rc);
    }

    /**
     * {@code bash [-opts] -c SCRIPT …}: the command is a bash script, which nix-shell --run
     * would run with the setup's functions; only bash (not sh) reads BASH_ENV.
     */
    static boolean isBashScript(List<String> command) {
        String program = command.get(0);
        if (!program.substring(program.lastIndexOf('/') + 1).equals("bash")) {
            return false;
        }
        for (String arg : command.subList(1, command.size())) {
            if (!arg.startsWith("-") || arg.equals("--") || arg.equals("-")) {
                return false;
            }
            if (!arg.startsWith("--") && arg.indexOf('c') > 0) {
                return true;
            }
        }
        return false;
    }
}
