package org.nixbuildshell.init;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.nixbuildshell.init.mount.RootMounts;
import org.nixbuildshell.init.mount.RootSetup;
import org.nixbuildshell.init.mount.StoreView;
import org.nixbuildshell.init.net.Loopback;
import org.nixbuildshell.init.proc.Supervisor;
import org.nixbuildshell.seccomp.NixSeccompFilter;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.plan.MountOp;
import org.nixbuildshell.plan.PlanCodec;
import org.nixbuildshell.plan.SandboxPlan;
import org.nixbuildshell.plan.SandboxProfile;
import org.nixbuildshell.spawn.ChildSpec;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.Architecture;
import org.nixbuildshell.sys.Linux;
import org.nixbuildshell.sys.LinuxLibc;
import org.nixbuildshell.sys.Sys;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID 1 of the sandbox. Started by the launcher as uid 1000 in fresh user,
 * mount, pid, net, uts and ipc namespaces, with every capability of that
 * user namespace in its ambient set. Usage: {@code InitMain PLAN_FD}: the plan arrives on that descriptor.
 */
public final class InitMain {
    private InitMain() {}

    public static void main(String[] args) throws IOException {
        Phases.mark("main");
        // Started before the launcher has finished preparing: load what setup needs
        // (logging, JNA, the seccomp program) while the plan is still being made.
        Architecture.requireSupported(); // the launcher checked too; no wrong system call either way
        Logger log = LoggerFactory.getLogger(InitMain.class);
        Phases.mark("logging");
        LinuxLibc.getpid();
        byte[] filter = NixSeccompFilter.program();
        CloneSpawner.warmUp();
        Phases.mark("ready");
        byte[] encoded = readPlan(Integer.parseInt(args[0]));
        Phases.mark("plan");
        if (encoded.length == 0) {
            System.exit(0); // the launcher gave up before the sandbox ran (an error or a signal it reports)
        }
        SandboxPlan plan = PlanCodec.decode(encoded);
        ChildSpec command;
        try {
            command = setUp(plan, log, filter);
        } catch (SyscallException e) {
            log.error("{}{}", e.getMessage(), e.hint() == null ? "" : "\n  hint: " + e.hint(), Logging.tracing() ? e : null);
            System.exit(ExitCodes.SETUP_FAILED);
            return;
        } catch (RuntimeException e) {
            log.error("setting up the sandbox failed: {}", e.getMessage(), Logging.tracing() ? e : null);
            System.exit(ExitCodes.SETUP_FAILED);
            return;
        }
        int status;
        try {
            Phases.mark("mounts");
            status = new Supervisor().run(command);
            Phases.mark("command");
        } catch (SyscallException e) {
            log.error("cannot start the command: {}", e.getMessage(), Logging.tracing() ? e : null);
            status = e.call().equals("execve") ? 127 : ExitCodes.SETUP_FAILED;
        } catch (ToolError e) {
            log.error("{}\n  hint: {}", e.getMessage(), e.hint(), Logging.tracing() ? e : null);
            status = e.exitCode();
        }
        Phases.print("init");
        System.exit(status);
    }

    /** Everything up to end of file on the plan descriptor. */
    private static byte[] readPlan(int fd) {
        ByteArrayOutputStream plan = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = Sys.read(fd, buf)) > 0) {
            plan.write(buf, 0, n);
        }
        Sys.close(fd);
        return plan.toByteArray();
    }

    private static ChildSpec setUp(SandboxPlan plan, Logger log, byte[] seccompFilter) {
        log.info("init: pid {}, uid {}, gid {}", LinuxLibc.getpid(), LinuxLibc.getuid(), LinuxLibc.getgid());
        Sys.sethostname(plan.hostname());
        Sys.setdomainname(plan.domainname());
        log.debug("uts: hostname {}, domainname {}", plan.hostname(), plan.domainname());
        if (plan.loopback()) {
            Loopback.up();
            log.debug("net: lo up");
        }
        RootSetup.run(plan.root(), plan.setup());
        Phases.mark("setup");
        log.info("setup: {} steps done", plan.setup().size());
        RootMounts mounts = new RootMounts(plan.root());
        mounts.makeEverythingPrivate();
        mounts.bindRootOnItself();
        StoreView store = new StoreView(plan.root()); // the store's inputs: mount points in memory, sealed at once
        for (MountOp op : plan.mounts()) {
            if (!store.take(op)) {
                mounts.apply(op);
            }
        }
        store.seal();
        mounts.sealRoot();
        log.info("mount: {} mounts done", plan.mounts().size() + 2);
        mounts.enterRoot();
        log.info("root: {} (pivot_root)", plan.root());
        // Inherited by the command: the profile's umask, core limit and personality.
        SandboxProfile profile = plan.profile();
        LinuxLibc.umask(profile.umask());
        Sys.setCoreLimit(profile.coreLimit());
        Sys.personality(plan.personality());
        log.info("profile: Nix {}: umask 0{}, core {}, personality 0x{}", profile.name(),
                Integer.toOctalString(profile.umask()), profile.coreLimit(), Integer.toHexString(plan.personality()));
        if (!profile.noNewPrivs() || !NixSeccompFilter.RULES.equals(profile.seccompRules())) {
            throw new IllegalStateException("the plan asks for seccomp rules '" + profile.seccompRules()
                    + "' (no_new_privs " + profile.noNewPrivs() + "), which this init does not have");
        }
        ChildSpec spec = ChildSpec.of(plan.argv().get(0), plan.argv(), plan.env())
                .unprivileged(seccompFilter)
                .in(plan.workdir());
        if (plan.rcScript() != null) {
            spec = spec.passing(rcPipe(plan.rcScript()));
        }
        if (!Sys.isatty(0)) {
            // Not reading the terminal: a group of its own, as Bazel's pid 1 gives its command, so that a
            // Ctrl-C reaches it once, from init (which is in the terminal's group), and signals reach
            // everything it started. On a terminal, the command shares it (and an interactive shell makes
            // its own groups for its jobs).
            spec = spec.inOwnProcessGroup();
        }
        return spec;
    }

    /** A pipe holding the rc text, read end returned; the shell reads it as /dev/fd/3. */
    private static int rcPipe(String text) {
        int[] fds = Sys.pipe(Linux.O_CLOEXEC);
        Sys.writeAll(fds[1], text.getBytes(StandardCharsets.UTF_8)); // rc files are far below the pipe size
        Sys.close(fds[1]);
        return fds[0];
    }
}
