package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.file.Path;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.rootfs.Copier;
import org.nixbuildshell.launcher.rootfs.Skeleton;
import org.nixbuildshell.sys.Sys;

/** The sandbox root of one session: a lasting working copy, or with --new a throw-away one. */
public interface SessionRoot {
    Path root();

    /** The init of a running session on the same copy, to join instead of starting a sandbox; else 0. */
    default int joinInit() {
        return 0;
    }

    /** The session ended; {@code interactive}: a person is there to read what is left where. */
    void close(boolean interactive) throws IOException;

    /** What the command line asks for. */
    record Options(Path tmpdir, Path tmpdirOption, boolean keep, boolean fresh, boolean separate) {}

    /** {@code initPid}: the init just started, recorded for later runs to join (unless this one joins). */
    static SessionRoot open(BuildDir build, Options options, Cancellation cancellation, int initPid) throws IOException {
        if (options.separate()) {
            return TempSession.open(build, options.tmpdir(), options.keep(), cancellation);
        }
        WorkCopy copy = WorkCopy.at(CacheDir.of(options.tmpdirOption()), CopyKey.of(build.top()));
        int running = copy.open(options.fresh(), options.keep(), cancellation, initPid);
        return new WorkCopySession(copy, build.given(), running);
    }

    /** The skeleton and the copy of the kept directory at {@code root/build}, which only the owner may enter. */
    static void populate(Path root, Path kept, Cancellation cancellation) throws IOException {
        Skeleton.write(root);
        new Copier(cancellation).copy(kept, root.resolve("build"));
        Sys.chmod(root.resolve("build").toString(), 0700);
    }

    /** The end of a session on a working copy: one line when changes stay for next time. */
    record WorkCopySession(WorkCopy copy, Path given, int joinInit) implements SessionRoot {
        @Override
        public Path root() {
            return copy.root();
        }

        @Override
        public void close(boolean interactive) throws IOException {
            Manifest.Changes left = copy.close();
            if (joinInit > 0) {
                return; // the session's own launcher reports
            }
            if (java.nio.file.Files.exists(copy.dir().resolve("kept"))) {
                System.err.println("nix-build-shell: kept the sandbox root at " + copy.root());
            } else if (left != null && interactive) {
                System.err.println("nix-build-shell: " + left.count() + " file(s) changed in /build; the working copy "
                        + "stays at " + copy.dir() + " (" + Copier.human(left.size()) + ") for the next run: "
                        + "'nix-build-shell --diff " + given + "' shows the changes, --fresh drops them");
            }
        }
    }
}
