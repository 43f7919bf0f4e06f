package org.nixbuildshell.launcher.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nixbuildshell.launcher.profile.BinSh;
import org.nixbuildshell.launcher.rootfs.Skeleton;
import org.nixbuildshell.launcher.stdenv.Stdenv;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.plan.MountOp;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SandboxProfile;
import org.slf4j.LoggerFactory;

/**
 * Decides what the sandbox holds (the profile of the Nix that made the build)
 * and how the command starts; init carries the plan out.
 */
public final class SandboxPlanner {
    /**
     * What the user asked for on the command line.
     *
     * @param phase  --phase NAME, or null
     * @param resume --resume: from {@code phase} (or the failed phase) through the remaining phases
     */
    public record Request(List<String> command, boolean shareNet, List<ExtraBind> binds,
                          Map<String, String> setenv, String phase, boolean resume) {

        /** Whether a stdenv phase is to run (--phase, --resume) rather than a command or a shell. */
        public boolean runsPhase() {
            return phase != null || resume;
        }
    }

    /**
     * How the command is started; each reads a script from fd 3: COMMAND and PHASE as the
     * shell's script file, INTERACTIVE as its rc file, STDIN_SCRIPT through BASH_ENV.
     */
    public enum Mode { COMMAND, INTERACTIVE, STDIN_SCRIPT, PHASE }

    private SandboxPlanner() {}

    /**
     * @param storePaths the closure to bind one by one, or null for the whole store read-only
     * @param terminal   whether stdin is a terminal
     * @param stdenv     the build's stdenv, and the phase it failed in when known
     * @param profile    the sandbox of the Nix that made the build
     * @param host       what exists on this machine ({@link Host#probe()})
     */
    public static SandboxPlan plan(Request request, BuildSpec build, Path root,
                                   List<String> storePaths, boolean terminal, String term, Stdenv stdenv,
                                   SandboxProfile profile, Host host) {
        String shell = build.shell();
        List<MountOp> mounts = new ArrayList<>();
        mounts.add(MountOp.bind(root.resolve("build").toString(), "/build", false));
        mounts.add(MountOp.bind(root.resolve("tmp").toString(), "/tmp", false));
        if (storePaths == null) {
            mounts.add(MountOp.rbind("/nix/store", "/nix/store", true));
        } else {
            mounts.add(MountOp.storeView("/nix/store", 01775)); // the inputs' mount points: a tmpfs, nothing to remove
            for (String path : storePaths) {
                mounts.add(MountOp.bind(path, path, true));
            }
        }
        BinSh binSh = BinSh.choose(profile, host.sandboxPathsSh(), shell, host.exists());
        LoggerFactory.getLogger(SandboxPlanner.class).info("/bin/sh: {} ({})", binSh.source(), binSh.why());
        mounts.add(MountOp.bind(binSh.source(), "/bin/sh", true));
        // Read-only binds: reading and writing a device node is unaffected, but chmod and chown
        // fail, which matters when the caller is root and uid 1000 inside owns the host's nodes.
        for (String device : profile.devices()) {
            if (host.exists().test("/dev/" + device)) {
                mounts.add(MountOp.bind("/dev/" + device, "/dev/" + device, true));
            }
        }
        mounts.add(MountOp.rbind("/dev/pts", "/dev/pts", true));
        mounts.add(MountOp.tmpfs("/dev/shm", 01777));
        mounts.add(MountOp.proc("/proc"));
        if (request.shareNet()) {
            // what Nix gives fixed-output derivations, which have the network
            for (String file : new String[] {"/etc/resolv.conf", "/etc/services"}) {
                if (host.exists().test(file)) {
                    mounts.add(MountOp.bind(file, file, true));
                }
            }
        }
        for (ExtraBind bind : request.binds()) {
            mounts.add(MountOp.rbind(bind.source(), bind.target(), bind.readOnly()));
        }

        Mode mode = request.runsPhase() ? Mode.PHASE
                : request.command().isEmpty() ? (terminal ? Mode.INTERACTIVE : Mode.STDIN_SCRIPT) : Mode.COMMAND;
        // the copy's, which holds the kept one or what a derivation target writes
        boolean attrs = Files.isRegularFile(root.resolve("build/.attrs.sh"));
        String workdir = workdir(build.env().get("PWD"), root);
        List<String> argv = new ArrayList<>();
        List<String> environment = new ArrayList<>();
        String rc = null;
        argv.add(shell);
        switch (mode) {
            case COMMAND -> {
                boolean innerShell = stdenv.setup() && isBashScript(request.command());
                argv.add(ShellScripts.SCRIPT_FILE);
                argv.addAll(request.command());
                rc = ShellScripts.command(attrs, request.setenv(), stdenv, innerShell);
            }
            case INTERACTIVE -> {
                argv.addAll(List.of("--rcfile", "/dev/fd/3", "-i"));
                rc = ShellScripts.rc(attrs, request.setenv(), stdenv, workdir);
            }
            case STDIN_SCRIPT -> {
                argv.add("-s");
                environment.add("BASH_ENV=/dev/fd/3");
                rc = ShellScripts.rc(attrs, request.setenv(), stdenv, workdir);
            }
            case PHASE -> {
                argv.add(ShellScripts.SCRIPT_FILE);
                rc = ShellScripts.phase(attrs, request.setenv(), stdenv,
                        request.phase() != null ? request.phase() : stdenv.failedPhase(), request.resume());
            }
        }
        if (terminal && term != null) {
            environment.add("TERM=" + term);
        }
        int personality = profile.personality()
                | ("i686-linux".equals(build.env().get("system")) ? SandboxProfile.PER_LINUX32 : 0);
        return new SandboxPlan(root.toString(), "localhost", "(none)",
                !request.shareNet(), profile, personality, Skeleton.steps(profile), mounts, workdir, argv, environment, rc);
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

    /**
     * Where the failed phase ran: $PWD when it lies inside /build (and is
     * still there), else /build. Normalised first: "/build/.." is "/", outside.
     */
    public static String workdir(String pwd, Path root) {
        if (pwd == null || !pwd.startsWith("/")) {
            return "/build";
        }
        Path dir = Path.of(pwd).normalize();
        if (dir.startsWith("/build") && Files.isDirectory(root.resolve(dir.toString().substring(1)))) {
            return dir.toString();
        }
        return "/build";
    }
}
