package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.IntSupplier;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.rootfs.Copier;
import org.nixbuildshell.launcher.run.SandboxUser;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.plan.PlanCodec;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.sys.Sys;
import org.slf4j.LoggerFactory;

/** The sandbox root of one session: a lasting working copy, or with --new a throw-away one. */
public interface SessionRoot {
    Path root();

    /** The init of a running session on the same copy, to join instead of starting a sandbox; else 0. */
    default int joinInit() {
        return 0;
    }

    /**
     * Records the session's process settings for the runs that join it (the plan's; a joining run
     * asks Nix nothing, so it cannot choose the profile itself). Only a working copy can be joined.
     */
    default void recordSettings(ProcessSettings settings) throws IOException {
    }

    /** The process settings of the running session this run joins ({@link #joinInit()}). */
    default ProcessSettings sessionSettings() throws IOException {
        throw new IllegalStateException("no session to join");
    }

    /** The session ended; {@code interactive}: a person is there to read what is left where. */
    void close(boolean interactive) throws IOException;

    /** What the command line asks for. */
    record Options(Path tmpdir, Path tmpdirOption, boolean keep, boolean fresh, boolean separate) {}

    /**
     * A working copy for a kept build directory; a throw-away root with --new, for a derivation
     * target (nothing kept: /build starts empty each time) and under sudo (the root-owned cache is
     * no place for the invoking user's sandbox). {@code startInit}: starts this session's init and
     * returns its pid; called before the copy, and not at all when this run joins a running session.
     */
    static SessionRoot open(BuildSpec build, Options options, SandboxUser user, Cancellation cancellation,
            IntSupplier startInit) throws IOException {
        if (options.separate() || !(build instanceof BuildSpec.Kept kept) || user.sudo()) {
            if (user.sudo() && !options.separate()) {
                LoggerFactory.getLogger(SessionRoot.class).info("work copy: none under sudo; a throw-away copy in {}",
                        options.tmpdir());
            }
            startInit.getAsInt();
            return TempSession.open(build, options.tmpdir(), options.keep(), user, cancellation);
        }
        WorkCopy copy = WorkCopy.at(CacheDir.of(options.tmpdirOption()), CopyKey.of(kept.source()));
        int running = copy.open(options.fresh(), options.keep(), build, cancellation, startInit);
        return new WorkCopySession(copy, build.given(), running);
    }

    /**
     * The copy of the kept directory (or an empty one) at {@code root/build} with the
     * target's generated files (an env-vars rebuilt from the derivation), which only the owner may enter.
     */
    static void populate(Path root, BuildSpec build, Cancellation cancellation) throws IOException {
        Path copy = root.resolve("build");
        if (build instanceof BuildSpec.Kept kept) {
            new Copier(cancellation).copy(kept.source(), copy, build.files().keySet());
        } else {
            Sys.mkdirs(copy.toString(), 0700);
        }
        for (Map.Entry<String, String> file : build.files().entrySet()) {
            Path path = copy.resolve(file.getKey());
            Files.deleteIfExists(path); // a readable env-vars that --drv replaces
            Sys.createFile(path.toString(), file.getValue().getBytes(StandardCharsets.UTF_8), 0644);
        }
        Sys.chmod(copy.toString(), 0700);
    }

    /** The end of a session on a working copy: one line when changes stay for next time. */
    record WorkCopySession(WorkCopy copy, String given, int joinInit) implements SessionRoot {
        @Override
        public Path root() {
            return copy.root();
        }

        @Override
        public void recordSettings(ProcessSettings settings) throws IOException {
            Path file = copy.dir().resolve("settings");
            Path staging = copy.dir().resolve("settings." + ProcessHandle.current().pid());
            Files.write(staging, PlanCodec.encode(settings));
            Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public ProcessSettings sessionSettings() throws IOException {
            return PlanCodec.decodeSettings(Files.readAllBytes(copy.dir().resolve("settings")));
        }

        @Override
        public void close(boolean interactive) throws IOException {
            Manifest.Changes left = copy.close();
            if (joinInit > 0) {
                return; // the session's own launcher reports
            }
            if (Files.exists(copy.dir().resolve("kept"))) {
                System.err.println("nix-build-shell: kept the sandbox root at " + copy.root());
            } else if (left != null && interactive) {
                System.err.println("nix-build-shell: " + left.count() + " file(s) changed in /build; the working copy "
                        + "stays at " + copy.dir() + " (" + Copier.human(left.size()) + ") for the next run: "
                        + "'nix-build-shell --diff " + given + "' shows the changes, --fresh drops them");
            }
        }
    }
}
