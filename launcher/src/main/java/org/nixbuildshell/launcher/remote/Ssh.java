package org.nixbuildshell.launcher.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's own ssh, to one builder. Everything of the user's applies (keys,
 * agent, ~/.ssh/config, {@code NIX_SSHOPTS} as Nix uses it); a builders entry
 * adds its key and host key as Nix does. The connections of one run share one
 * master connection (ControlMaster, in a private directory), so the probe,
 * the upload and the run log in once; {@link #close} ends it.
 */
final class Ssh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ssh.class);
    /** ssh's own failures (cannot connect, cannot log in) end it with 255. */
    static final int SSH_FAILED = 255;

    private final Destination destination;
    private final List<String> options = new ArrayList<>();
    private final Path privateDir;
    private final Thread onExit = new Thread(this::endMaster, "ssh-master-exit");

    /** What a command printed on stdout and stderr, and its status. */
    record Result(int status, String stdout, String stderr) {}

    Ssh(Destination destination, Map<String, String> env) throws IOException {
        this.destination = destination;
        String userOptions = env.getOrDefault("NIX_SSHOPTS", "").trim();
        if (!userOptions.isEmpty()) {
            options.addAll(List.of(userOptions.split("\\s+"))); // split as Nix does
        }
        // short: a ControlPath must fit in a socket address (108 bytes)
        Path runtime = Path.of(env.getOrDefault("XDG_RUNTIME_DIR", "/tmp"));
        privateDir = Files.createTempDirectory(Files.isDirectory(runtime) && Files.isWritable(runtime) ? runtime
                : Path.of("/tmp"), "nbs-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // Ctrl-C before the run (the probe, the upload) ends the JVM: the master and the directory go too
        Runtime.getRuntime().addShutdownHook(onExit);
        if (destination.port() != null) {
            options.addAll(List.of("-p", destination.port().toString()));
        }
        if (destination.identity() != null) {
            options.addAll(List.of("-i", destination.identity()));
        }
        if (destination.hostKey() != null) {
            Path knownHosts = privateDir.resolve("known_hosts");
            String name = destination.port() == null ? destination.host() : "[" + destination.host() + "]:" + destination.port();
            String key = new String(Base64.getMimeDecoder().decode(destination.hostKey()), StandardCharsets.UTF_8).trim();
            Files.writeString(knownHosts, name + " " + key + "\n");
            options.addAll(List.of("-o", "UserKnownHostsFile=" + knownHosts));
        }
        if (!usersOwnMaster()) {
            // idle master connections go by themselves even if this JVM is killed
            options.addAll(List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + privateDir.resolve("master"),
                    "-o", "ControlPersist=60"));
        }
    }

    /** True when the user's ssh configuration shares connections already (ssh -G: the settings, no connection). */
    private boolean usersOwnMaster() {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(options);
        cmd.addAll(List.of("-G", "--", destination.userHost()));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String config = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            boolean theirs = config.lines().anyMatch(l -> l.startsWith("controlmaster ") && !l.equals("controlmaster false"));
            LOG.debug("ssh {}: {}", destination.shown(), theirs ? "the user's ControlMaster shares the connections"
                    : "one master connection of ours for the probe, the upload and the run");
            return theirs;
        } catch (IOException e) {
            return false; // no ssh: the first connection says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Destination destination() {
        return destination;
    }

    /** ssh's command line: ssh, our options, -t or -T, the host, then the remote command (one string). */
    List<String> command(boolean tty, String remoteCommand) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ssh");
        cmd.addAll(options);
        cmd.add(tty ? "-t" : "-T");
        cmd.add("--");
        cmd.add(destination.userHost());
        cmd.add(remoteCommand);
        return cmd;
    }

    /** Run {@code remoteCommand} with {@code stdin} written to it, capturing both outputs. */
    Result capture(String remoteCommand, StdinWriter stdin) throws IOException, InterruptedException {
        Process p = start(new ProcessBuilder(command(false, remoteCommand)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread errReader = drain(p.getErrorStream(), err);
        Thread outReader = drain(p.getInputStream(), out);
        try (OutputStream in = p.getOutputStream()) {
            stdin.write(in);
        } catch (IOException e) {
            LOG.debug("ssh: the remote side stopped reading: {}", e.getMessage()); // its status says why
        }
        int status = p.waitFor();
        errReader.join();
        outReader.join();
        String stderr = err.toString(StandardCharsets.UTF_8);
        LOG.debug("ssh {}: status {}{}", destination.shown(), status, stderr.isBlank() ? "" : ", stderr: " + stderr.strip());
        return new Result(status, out.toString(StandardCharsets.UTF_8), stderr);
    }

    /** Start {@code remoteCommand} on our own stdin, stdout and stderr. */
    Process startInherited(boolean tty, String remoteCommand) throws IOException {
        return start(new ProcessBuilder(command(tty, remoteCommand)).inheritIO());
    }

    private Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new ToolError(ExitCodes.REMOTE_CONNECT, destination.shown() + ": cannot run ssh (" + e.getMessage() + ")",
                    "install OpenSSH's client (e.g. apt-get install openssh-client): nix-build-shell uses your ssh");
        }
    }

    /** Ends the master connection and removes the private directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            return; // shutting down: the hook does it
        }
        endMaster();
    }

    private void endMaster() {
        try {
            if (Files.exists(privateDir.resolve("master"))) {
                List<String> exit = new ArrayList<>(List.of("ssh"));
                exit.addAll(options);
                exit.addAll(List.of("-O", "exit", "--", destination.userHost()));
                new ProcessBuilder(exit).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor();
            }
        } catch (IOException e) {
            LOG.debug("ssh -O exit: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (var files = Files.list(privateDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(privateDir);
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", privateDir, e.getMessage());
            }
        }
    }

    /** One argument quoted for the remote user's (POSIX) login shell, which ssh hands the command to. */
    static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    static String quoteAll(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append(b.length() == 0 ? "" : " ").append(quote(a));
        }
        return b.toString();
    }

    /** What to write on a captured command's stdin. */
    interface StdinWriter {
        void write(OutputStream in) throws IOException;
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream into) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(into);
            } catch (IOException ignored) {
                // ssh is gone; its status tells
            }
        }, "ssh-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
