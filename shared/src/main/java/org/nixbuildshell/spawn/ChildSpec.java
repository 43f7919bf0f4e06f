package org.nixbuildshell.spawn;

import java.util.List;
import org.nixbuildshell.plan.ProcessSettings;

/**
 * What a cloned child does between clone(2) and execve(2).
 *
 * @param executable   absolute path passed to execve
 * @param argv         argv, including argv[0]
 * @param env          the complete environment, as NAME=VALUE
 * @param cloneFlags   namespace flags for clone(2) (SIGCHLD is added)
 * @param waitForGo    block until the parent has written the id maps (needed with CLONE_NEWUSER)
 * @param keepCapabilities raise every capability into the ambient set, so they survive execve as uid 1000
 * @param settings     the process state the program starts with (umask, core limit, personality,
 *                     no_new_privs, Landlock, seccomp, no capabilities), applied last before execve; or
 *                     null to inherit ours
 * @param workdir      chdir here before execve, or null
 * @param passFd       a descriptor to hand to the new program as fd 3, or -1
 * @param ownProcessGroup make the child the leader of a new process group (setpgid(0, 0)), so that
 *                     signals can be sent to it and everything it starts at once
 * @param becomeUid    with waitForGo: once the maps are written, drop every supplementary group and take
 *                     this uid and {@code becomeGid} inside the new user namespace; -1 to keep the ids.
 *                     For a launcher that is root under sudo: the namespace's creator is host root, which
 *                     the maps do not contain, so the child must move to the mapped ids itself
 * @param becomeGid    see becomeUid
 * @param dieWithParent with waitForGo: PR_SET_PDEATHSIG SIGKILL before execve. It stays with the new
 *                     program's first thread, which a JVM's main never runs on: a JVM cannot undo it
 * @param joinFds      null, or descriptors of the namespaces to enter with setns(2) instead of new ones:
 *                     user, mnt, pid, net, uts, ipc (-1: stay in ours), then a directory to chroot into;
 *                     the child enters them, forks into the pid namespace, and waits for that process
 *                     to exit with its status (see {@link CloneSpawner})
 */
public record ChildSpec(
        String executable,
        List<String> argv,
        List<String> env,
        long cloneFlags,
        boolean waitForGo,
        boolean keepCapabilities,
        ProcessSettings settings,
        String workdir,
        int passFd,
        boolean ownProcessGroup,
        int becomeUid,
        int becomeGid,
        boolean dieWithParent,
        int[] joinFds) {

    /** A plain child: no namespaces, no credential changes. */
    public static ChildSpec of(String executable, List<String> argv, List<String> env) {
        return new ChildSpec(executable, argv, env, 0, false, false, null, null, -1, false, -1, -1, false, null);
    }

    public ChildSpec inNewNamespaces(long flags) {
        return new ChildSpec(executable, argv, env, flags, true, true, settings, workdir, passFd,
                ownProcessGroup, becomeUid, becomeGid, true, joinFds);
    }

    /**
     * No PR_SET_PDEATHSIG: the program watches its parent itself (init reads its launcher's socket), so
     * that it can outlive it when it must.
     */
    public ChildSpec outlivingParent() {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, settings, workdir,
                passFd, ownProcessGroup, becomeUid, becomeGid, false, joinFds);
    }

    /** Start with these settings (see {@link CommandStart}, the one way a command in the sandbox starts). */
    public ChildSpec with(ProcessSettings processSettings) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, false, processSettings, workdir, passFd,
                ownProcessGroup, becomeUid, becomeGid, dieWithParent, joinFds);
    }

    public ChildSpec in(String directory) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, settings, directory,
                passFd, ownProcessGroup, becomeUid, becomeGid, dieWithParent, joinFds);
    }

    public ChildSpec inOwnProcessGroup() {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, settings, workdir,
                passFd, true, becomeUid, becomeGid, dieWithParent, joinFds);
    }

    public ChildSpec passing(int fd) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, settings, workdir,
                fd, ownProcessGroup, becomeUid, becomeGid, dieWithParent, joinFds);
    }

    public ChildSpec becoming(int uid, int gid) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, settings, workdir,
                passFd, ownProcessGroup, uid, gid, dieWithParent, joinFds);
    }

    /** Enter existing namespaces and a root instead (see {@code joinFds}). */
    public ChildSpec joining(int[] fds) {
        return new ChildSpec(executable, argv, env, 0, false, false, settings, workdir, passFd, ownProcessGroup,
                -1, -1, false, fds.clone());
    }
}
