package org.nixbuildshell.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nixbuildshell.launcher.run.ExtraBind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line; {@link Launch} does the work. */
@Command(name = "nix-build-shell",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Re-enter the Linux sandbox of a failed Nix build, on a writable copy of the build directory "
                + "kept by 'nix-build --keep-failed' (or 'nix build -K'), and run COMMAND there, or an "
                + "interactive shell with the build's environment (and stdenv's genericBuild and phases).",
            "No sudo, no rebuild: user, mount, pid, net, uts and ipc namespaces, uid 1000, hostname "
                + "localhost, only lo, the build's inputs from /nix/store, the copy at /build.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  nix-build-shell /tmp/nix-build-hello-2.12.drv-0",
            "  nix-build-shell /tmp/nix-build-hello-2.12.drv-0 make -j4 V=1",
            "  nix-build-shell --ro-bind /usr/bin/gdb DIR gdb ./a.out",
            "",
            "Exit status:",
            ExitCodes.HELP_LIST})
public final class NixBuildShellCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUILD_DIR",
            description = "the kept build directory (or the outer directory of Nix >= 2.23.1 / Lix, or a symlink to it)")
    Path buildDir;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
            description = "the command and its arguments; default: an interactive shell")
    List<String> command = new ArrayList<>();

    @Option(names = "-v", description = "log each setup step to stderr; -vv adds details and stack traces")
    boolean[] verbose = new boolean[0];

    @Option(names = "--keep-root", description = "keep the sandbox's root directory afterwards and print where it is")
    boolean keepRoot;

    @Option(names = "--full-store", description = "mount the whole /nix/store read-only instead of the build's inputs")
    boolean fullStore;

    @Option(names = "--tmpdir", paramLabel = "DIR", description = "where the copy goes (default: $TMPDIR or /tmp)")
    Path tmpdir;

    @Option(names = "--bind", paramLabel = "SRC[:DST]", description = "bring a host path in, writable (e.g. a tool)")
    List<String> binds = new ArrayList<>();

    @Option(names = "--ro-bind", paramLabel = "SRC[:DST]", description = "bring a host path in, read-only")
    List<String> roBinds = new ArrayList<>();

    @Option(names = "--share-net", description = "keep the host's network (off by default, as in Nix)")
    boolean shareNet;

    @Option(names = "--setenv", paramLabel = "NAME=VALUE", description = "set a variable after env-vars is sourced")
    List<String> setenv = new ArrayList<>();

    private final long startMillis;

    public NixBuildShellCommand(long startMillis) {
        this.startMillis = startMillis;
    }

    @Override
    public Integer call() throws Exception {
        return new Launch(this, startMillis).run();
    }

    int verbosity() {
        return verbose.length;
    }

    List<ExtraBind> extraBinds() {
        List<ExtraBind> all = new ArrayList<>();
        binds.forEach(b -> all.add(ExtraBind.parse(b, false)));
        roBinds.forEach(b -> all.add(ExtraBind.parse(b, true)));
        return all;
    }

    Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String assignment : setenv) {
            int eq = assignment.indexOf('=');
            vars.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return vars;
    }
}
