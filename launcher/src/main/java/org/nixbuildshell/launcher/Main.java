package org.nixbuildshell.launcher;

import org.nixbuildshell.launcher.cli.ErrorReporter;
import org.nixbuildshell.launcher.cli.NixBuildShellCommand;
import org.nixbuildshell.launcher.cli.QuickStart;
import org.nixbuildshell.launcher.cli.UsageErrors;
import org.nixbuildshell.launcher.remote.RemoteLaunch;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.sys.Architecture;
import picocli.CommandLine;

/** Entry point of the launcher JVM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        long start = System.currentTimeMillis();
        Phases.mark("main");
        Architecture.requireSupported(); // before JNA and the first system call
        WarmUp.start();
        // ssh://HOST/PATH or --on HOST: the run happens on the builder, nothing here
        Integer remote = RemoteLaunch.runIfRemote(args, start);
        if (remote != null) {
            System.exit(remote);
        }
        if (Training.requested()) {
            System.exit(Training.run(args[0], start));
        }
        Integer quick = QuickStart.run(args, start);
        if (quick != null) {
            System.exit(quick);
        }
        CommandLine cli = new CommandLine(new NixBuildShellCommand(start));
        // Options end at BUILD_DIR: in "nix-build-shell DIR make -j4", -j4 is make's.
        cli.setStopAtPositional(true);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setParameterExceptionHandler(new UsageErrors());
        System.exit(cli.execute(args));
    }
}
