package org.nixbuildshell.launcher.remote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.nixbuildshell.launcher.cli.ErrorReporter;
import org.nixbuildshell.launcher.cli.Version;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.spawn.Signals;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run on a remote builder: {@code ssh://HOST/PATH} or {@code --on HOST}.
 * Nothing of the local sandbox happens; nix-build-shell runs on the builder,
 * the usual local run there, through the user's own ssh. The flow: probe the
 * builder (java, a copy of this nix-build-shell, the kept path), ship our
 * files when it has none, then run with stdin, stdout, stderr and the exit
 * status passing through ssh untouched.
 */
public final class RemoteLaunch {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteLaunch.class);

    private RemoteLaunch() {}

    /** The exit status of a remote run, or null when {@code args} ask for a local one. */
    public static Integer runIfRemote(String[] args, long startMillis) {
        RemoteArgs remote;
        try {
            remote = RemoteArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nix-build-shell: " + e.getMessage());
            System.err.println("Try 'nix-build-shell --help' for the options and an example.");
            return ExitCodes.USAGE;
        }
        if (remote == null) {
            return null;
        }
        Logging.init(Logging.levelFor(remote.verbosity()), "launcher", startMillis);
        try {
            return run(remote, System.getenv());
        } catch (Exception e) {
            return new ErrorReporter().handleExecutionException(e, null, null);
        }
    }

    static int run(RemoteArgs remote, Map<String, String> env) throws IOException, InterruptedException {
        Destination destination = remote.target() != null ? Builders.withKeys(remote.target().destination(), env)
                : Builders.resolve(remote.builder(), env);
        String version = Version.ours().replaceAll("[^A-Za-z0-9._+-]", "_");
        Distribution dist = Distribution.current();
        try (Ssh ssh = new Ssh(destination, env)) {
            Probe probe = Probe.run(ssh, version, dist, remote.keptPath());
            LOG.info("builder {}: java: {}; nix-build-shell {}: {}", destination.shown(),
                    probe.java().isEmpty() ? "none" : probe.java(), version, probe.use().isEmpty() ? "none" : probe.use());
            checkJava(destination, probe);
            if (Boolean.FALSE.equals(probe.keptExists())) {
                throw new ToolError(ExitCodes.NO_BUILD_DIR, destination.shown() + ": " + remote.keptPath()
                        + " does not exist on the builder", "look for the kept build there: ssh " + destination.userHost()
                        + " ls -d /tmp/nix-build-*");
            }
            String root = probe.use().isEmpty() ? Shipping.ship(ssh, dist, probe.cache()) : probe.use();
            return runThere(ssh, root, remote.forwarded());
        }
    }

    private static void checkJava(Destination d, Probe probe) {
        if (probe.javaMajor() < Probe.MIN_JAVA) {
            throw new ToolError(ExitCodes.REMOTE_NO_JAVA, d.shown() + ": nix-build-shell needs Java " + Probe.MIN_JAVA
                    + " or later on the builder, which has " + (probe.java().isEmpty() ? "no java on the PATH of a"
                    + " non-interactive ssh login" : probe.java()), "install one there (e.g. apt-get install "
                    + "openjdk-17-jre-headless, or nixpkgs' jdk17_headless) and put java on that PATH");
        }
    }

    /** The builder's nix-build-shell under ssh; a pty (-t) when we have a terminal on both stdin and stdout. */
    private static int runThere(Ssh ssh, String root, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root + "/" + Distribution.SCRIPT);
        command.addAll(args);
        // with a pty, stdout would get the terminal's line endings: --diff > fix.patch must stay byte for byte
        boolean tty = Sys.isatty(0) && Sys.isatty(1);
        // a pty hangs the session up when the connection drops; without one, run.sh does
        String line = tty ? "exec " + Ssh.quoteAll(command) : Scripts.command("run", command);
        Process p = ssh.startInherited(tty, line);
        // Ctrl-C and friends are ssh's to pass on (through the pty, or as ssh's own end); we wait for its status
        AtomicInteger signalled = new AtomicInteger();
        Signals.install(n -> {
            signalled.compareAndSet(0, n);
            LinuxLibc.kill((int) p.pid(), n);
        });
        int status = p.waitFor();
        if (status == Ssh.SSH_FAILED && signalled.get() != 0) {
            // ssh ended on our signal (without a pty, the session there ends with the connection, see run.sh)
            return 128 + signalled.get();
        }
        if (status == Ssh.SSH_FAILED) {
            LOG.warn("ssh to {} ended with 255: the connection failed or dropped (ssh said why above), or the command "
                    + "itself exited 255", ssh.destination().shown());
        }
        return status;
    }
}
