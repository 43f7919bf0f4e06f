package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.file.Path;
import org.nixbuildshell.launcher.run.SandboxUser;
import org.nixbuildshell.launcher.buildspec.BuildSpec;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.rootfs.TempRoot;
import org.nixbuildshell.launcher.rootfs.Trees;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.nixbuildshell.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** --new: a separate copy in a temp root of TMPDIR, removed at exit (unless --keep-root), as before working copies. */
final class TempSession implements SessionRoot {
    private static final Logger log = LoggerFactory.getLogger(TempSession.class);

    private final TempRoot temp;

    private TempSession(TempRoot temp) {
        this.temp = temp;
    }

    static TempSession open(BuildSpec build, Path tmpdir, boolean keep, SandboxUser user, Cancellation cancellation)
            throws IOException {
        TempRoot temp;
        try {
            temp = TempRoot.create(tmpdir);
        } catch (SyscallException e) {
            if (e.diskFull()) {
                throw e; // the caller's NoSpace explains a full disk
            }
            throw new ToolError(ExitCodes.COPY_FAILED, "cannot create the sandbox root in " + tmpdir + ": " + e.getMessage(),
                    "choose a writable place with --tmpdir");
        }
        TempSession session = new TempSession(temp);
        try {
            if (keep) {
                temp.markKept(); // now, not at exit: a killed launcher's kept root must survive stale-root cleanup
            }
            log.info("copy: {} -> {}", build.given(), temp.build());
            SessionRoot.populate(temp.root(), build, cancellation);
            log.info("copy: done");
            if (user.sudo()) {
                Trees.chownRecursively(temp.dir(), user.uid(), user.gid()); // the sandbox's and the user's, not root's
            }
        } catch (RuntimeException | IOException e) {
            session.close(false);
            throw e;
        }
        return session;
    }

    @Override
    public Path root() {
        return temp.root();
    }

    @Override
    public void close(boolean interactive) throws IOException {
        if (temp.isKept()) {
            System.err.println("nix-build-shell: kept the sandbox root at " + temp.root());
        } else {
            temp.delete();
            log.info("cleanup: removed {}", temp.dir());
        }
    }
}
