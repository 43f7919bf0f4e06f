package org.nixbuildshell.launcher.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.nixbuildshell.launcher.run.ExtraBind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command line; {@link Launch} does the work. */
@Command(name = "nix-build-shell",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Re-enter the sandbox of a failed Nix build, on a copy of its build directory, "
                + "or the sandbox of any derivation.",
        description = {
            "Runs COMMAND, or an interactive shell with the build's environment (and stdenv's genericBuild "
                + "and phases), in the Linux sandbox Nix built in, on a writable copy of the directory kept by "
                + "'nix-build --keep-failed' (or 'nix build -K').",
            "No sudo, no rebuild: user, mount, pid, net, uts and ipc namespaces, uid 1000, hostname "
                + "localhost, only lo, the build's inputs from /nix/store, the copy at /build.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  nix-build-shell /tmp/nix-build-hello-2.12.drv-0",
            "      a shell where the build failed; then e.g. genericBuild or runPhase",
            "  nix-build-shell --last",
            "      the newest kept build you can read (--list shows them all)",
            "  nix-build-shell /tmp/nix-build-hello-2.12.drv-0 make -j4 V=1",
            "      one command; options after the target belong to the command",
            "  nix-build-shell --ro-bind /opt/gdb:/gdb --share-net DIR /gdb/bin/gdb ./a.out",
            "      bring a host tool in (static, or with its libraries) and keep the network",
            "  nix-build-shell --phase checkPhase DIR",
            "      run one phase of a stdenv build again, after fixing something in the copy",
            "  nix-build-shell --resume DIR",
            "      the failed phase and every phase after it, as genericBuild would run them",
            "  nix-build-shell /nix/store/...-hello-2.12.drv genericBuild",
            "      a derivation's sandbox without a failed build: the whole build, as Nix would run it",
            "  nix-build-shell -A hello ./default.nix",
            "      the same for what nix-instantiate ./default.nix -A hello gives (options come before the target)",
            "  sudo nix-build-shell DIR",
            "      a kept build you cannot read: root reads and copies it, the sandbox runs as you",
            "  nix-build-shell ssh://builder/tmp/nix-build-hello-2.12.drv-0 make",
            "      a build kept on a remote builder, entered there over your ssh"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0-255:the command's own exit status (128+N when it was killed by signal N)",
            "126:the command was found inside but is not executable",
            "127:the command was not found inside the sandbox",
            "2:bad command line (unknown option, missing or empty TARGET, bad --bind/--setenv, --phase or --resume "
                + "with a COMMAND, without a stdenv, or --resume where the failed phase is unknown)",
            "110:this machine is not x86_64, the only architecture the tool runs on",
            "111:TARGET does not exist, is not a directory or a derivation, or the .nix file does not evaluate; "
                + "--last found no kept build you can read",
            "112:no readable env-vars, and the build's derivation was not found, or several recently failed builds "
                + "fit it (the message lists them; use --drv, or sudo)",
            "113:env-vars is not the output of bash's export (binary or malformed)",
            "114:env-vars sets no SHELL",
            "115:the SHELL named in env-vars is not in the Nix store",
            "116:user namespaces are not available to this user (the message names the sysctl)",
            "117:the build directory could not be copied (no space left: use --tmpdir), or its working copy is "
                + "damaged (e.g. /build/env-vars deleted: --fresh) or in use by another session (for --fresh)",
            "118:the sandbox could not be set up (starting init, mounts, /proc, chroot)",
            "119:internal error (please report it, with the output of -vv)",
            "120:a process of the sandbox hung before it started (an overloaded machine; run again)",
            "121:a derivation's inputs are not built yet (the message names the nix-store --realise to run)",
            "122:ssh:// or --on: ssh could not connect to the builder",
            "123:ssh:// or --on: ssh could not log in to the builder (key, user or host key)",
            "124:ssh:// or --on: the builder has no Java 17 or later",
            "125:ssh:// or --on: nix-build-shell could not be copied to the builder"})
public final class NixBuildShellCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TARGET", arity = "0..1",
            description = "what to enter: the kept build directory (or the outer directory of Nix >= 2.23.1 / Lix, "
                + "or a symlink to it, or a copy under any name); or a store derivation (/nix/store/...-NAME.drv) or a "
                + ".nix file (with -A ATTR), for the sandbox of a build that has not run; none with --last and --list")
    Path target;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
            description = "the command and its arguments; default: an interactive shell")
    List<String> command = new ArrayList<>();

    /** A variable name bash accepts. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** --setenv values travel in the shell's script, which every command start reads: keep it small. */
    private static final int MAX_SETENV_BYTES = 16 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "log each setup step to stderr; -vv adds details and stack traces")
    boolean[] verbose = new boolean[0];

    @Option(names = "--keep-root", description = "keep the sandbox's root directory afterwards and print where it is")
    boolean keepRoot;

    @Option(names = "--fresh",
            description = "discard the working copy of BUILD_DIR (what was changed in it) and copy the kept directory again")
    boolean fresh;

    @Option(names = "--new",
            description = "a separate sandbox on a separate, throw-away copy, even while a session on BUILD_DIR runs")
    boolean newSandbox;

    @Option(names = "--diff",
            description = "print the changes made in the working copy's /build as a patch (paths from the source root, "
                + "for patch -p1 or patches = [ ./fix.patch ];) and exit")
    boolean diff;

    @Option(names = "--full-store", description = "mount the whole /nix/store read-only instead of the build's inputs")
    boolean fullStore;

    @Option(names = "--tmpdir", paramLabel = "DIR", description = "where the working copy goes (default: "
            + "$XDG_CACHE_HOME/nix-build-shell, ~/.cache/nix-build-shell, or /var/cache/nix-build-shell as root)")
    Path tmpdir;

    @Option(names = "--bind", paramLabel = "SRC[:DST]",
            description = "bind the host path SRC at DST (default: the same path) inside, writable; repeatable")
    List<String> binds = new ArrayList<>();

    @Option(names = "--ro-bind", paramLabel = "SRC[:DST]",
            description = "the same, read-only (e.g. a debugger or a source tree); repeatable")
    List<String> roBinds = new ArrayList<>();

    @Option(names = "--share-net",
            description = "keep the host's network, e.g. to download something (off by default, as in Nix)")
    boolean shareNet;

    @Option(names = "--setenv", paramLabel = "NAME=VALUE",
            description = "set a variable after env-vars is sourced; repeatable")
    List<String> setenv = new ArrayList<>();

    @Option(names = {"-A", "--attr"}, paramLabel = "ATTR",
            description = "with a .nix TARGET: the attribute to instantiate, as nix-build -A")
    String attr;

    @Option(names = "--drv", paramLabel = "DRV",
            description = "with a kept directory: take the build's environment from this derivation instead of "
                + "env-vars (for an env-vars you cannot read, when the derivation is not found by itself)")
    Path drv;

    @Option(names = "--last",
            description = "enter the newest kept build you can read (in build-dir, /nix/var/nix/builds, Lix's "
                + "/nix/var/nix/b, $TMPDIR and /tmp) instead of naming TARGET; what follows is the COMMAND")
    boolean last;

    @Option(names = "--list",
            description = "list the kept builds there, newest first: age, size, the phase each failed in "
                + "(from Nix's log), the derivation's name and the directory; and exit")
    boolean list;

    @Option(names = "--phase", paramLabel = "NAME",
            description = "run the stdenv phase NAME (e.g. buildPhase) as the builder would, with errexit and the "
                + "state earlier phases left, and exit with its status; with --resume: start there")
    String phase;

    @Option(names = "--nix-version", paramLabel = "X.Y",
            description = "reproduce the sandbox of this Nix version (default: the host's Nix, checked against "
                + "the kept directory's layout)")
    String nixVersion;

    /** Read before picocli, by remote.RemoteArgs (a remote run never gets here); declared for --help. */
    @Option(names = "--on", paramLabel = "HOST",
            description = "run on the remote builder HOST (a name or URI of Nix's builders list, or any ssh destination), "
                + "over ssh, with the other options and TARGET as given; TARGET may also be ssh://[USER@]HOST[:PORT]/PATH")
    String on;

    @Option(names = "--resume",
            description = "run the phase the build failed in (read from Nix's build log) and the remaining phases "
                + "of $phases, as genericBuild would; stop at the first failure, with its status")
    boolean resume;

    private final long startMillis;

    /** For picocli's generators (man page, completion). */
    public NixBuildShellCommand() {
        this(System.currentTimeMillis());
    }

    public NixBuildShellCommand(long startMillis) {
        this.startMillis = startMillis;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        return new Launch(this, startMillis).run();
    }

    /** What picocli cannot check by itself; a usage error (status 2) when wrong. */
    void validate() {
        extraBinds();
        variables();
        targetOrLast();
        if ((phase != null || resume) && !command.isEmpty()) {
            throw usage((resume ? "--resume" : "--phase") + " runs stdenv's phases itself: give no COMMAND after "
                    + "the target (or leave out " + (resume ? "--resume" : "--phase") + ")");
        }
        if (nixVersion != null && !nixVersion.matches("\\d+\\.\\d+(\\.\\d+)?")) {
            throw usage("--nix-version " + nixVersion + ": not a Nix version; the form is X.Y, e.g. 2.26");
        }
        if (diff && (!command.isEmpty() || phase != null || resume || fresh || newSandbox)) {
            throw usage("--diff only prints the changes: give no COMMAND, --phase, --resume, --fresh or --new with it");
        }
        if (fresh && newSandbox) {
            throw usage("--new uses a copy of its own, which is always fresh: leave out --fresh");
        }
        if (phase != null && !NAME.matcher(phase).matches()) {
            throw usage("--phase " + phase + ": not a phase name (a shell function or variable name, e.g. buildPhase)");
        }
    }

    /** TARGET, --last or --list: exactly one says what to enter; with --last, a TARGET is the command's name. */
    private void targetOrLast() {
        if (list) {
            if (target != null || last || !command.isEmpty() || diff || phase != null || resume || drv != null) {
                throw usage("--list only lists the kept builds: give no TARGET, COMMAND or other option with it");
            }
            return;
        }
        if (last) {
            if (target != null) {
                command.add(0, target.toString());
                target = null;
            }
            return;
        }
        if (target == null) {
            throw usage("Missing required parameter: 'TARGET' (the directory Nix kept; --last enters the newest, "
                    + "--list shows them)");
        }
        if (target.toString().isEmpty()) {
            throw usage("TARGET is empty: name the directory from Nix's 'keeping build directory' line, "
                    + "or use --last for the newest kept build");
        }
    }

    int verbosity() {
        return verbose.length;
    }

    List<ExtraBind> extraBinds() {
        List<ExtraBind> all = new ArrayList<>();
        binds.forEach(b -> all.add(bind("--bind", b, false)));
        roBinds.forEach(b -> all.add(bind("--ro-bind", b, true)));
        return all;
    }

    /** SRC[:DST]: SRC must exist on the host (made absolute); DST, when given, must be absolute. */
    private ExtraBind bind(String option, String spec, boolean readOnly) {
        int colon = spec.indexOf(':');
        String source = colon < 0 ? spec : spec.substring(0, colon);
        String target = colon < 0 ? null : spec.substring(colon + 1);
        if (source.isEmpty()) {
            throw usage(option + " " + spec + ": SRC is empty; the form is " + option + " SRC[:DST]");
        }
        Path src = Path.of(source).toAbsolutePath().normalize();
        if (!Files.exists(src)) {
            throw usage(option + " " + spec + ": " + source + " does not exist on this machine");
        }
        if (target == null) {
            target = src.toString();
        } else if (!target.startsWith("/")) {
            throw usage(option + " " + spec + ": DST must be an absolute path inside the sandbox, e.g. /opt/tool");
        } else if (target.equals("/") || Path.of(target).normalize().toString().equals("/")
                || Path.of(target).normalize().startsWith("/proc") || target.contains("/../")
                || target.endsWith("/..")) {
            throw usage(option + " " + spec + ": DST cannot be / or under /proc, nor contain '..'");
        }
        return new ExtraBind(src.toString(), Path.of(target).normalize().toString(), readOnly);
    }

    Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String assignment : setenv) {
            int eq = assignment.indexOf('=');
            String name = eq < 0 ? assignment : assignment.substring(0, eq);
            if (eq < 0) {
                throw usage("--setenv " + assignment + ": the form is --setenv NAME=VALUE");
            }
            if (!NAME.matcher(name).matches()) {
                throw usage("--setenv " + assignment + ": '" + name + "' is not a valid variable name "
                        + "(letters, digits and _, not starting with a digit)");
            }
            vars.put(name, assignment.substring(eq + 1));
        }
        if (String.join("", setenv).getBytes(StandardCharsets.UTF_8).length > MAX_SETENV_BYTES) {
            throw usage("--setenv: the values add up to more than " + MAX_SETENV_BYTES / 1024 + " KiB; "
                    + "put large data in a file and bring it in with --ro-bind");
        }
        return vars;
    }


    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
