package org.nixbuildshell.spawn;

import java.util.List;

/**
 * What a cloned child does between clone(2) and execve(2).
 *
 * @param executable   absolute path passed to execve
 * @param argv         argv, including argv[0]
 * @param env          the complete environment, as NAME=VALUE
 * @param cloneFlags   namespace flags for clone(2) (SIGCHLD is added)
 * @param waitForGo    block until the parent has written the id maps (needed with CLONE_NEWUSER)
 * @param keepCapabilities raise every capability into the ambient set, so they survive execve as uid 1000
 * @param dropCapabilities clear the ambient and inheritable sets, so execve leaves none
 * @param noNewPrivs   set PR_SET_NO_NEW_PRIVS
 * @param seccompFilter a classic BPF program (8-byte sock_filter entries) to install, or null
 * @param workdir      chdir here before execve, or null
 * @param passFd       a descriptor to hand to the new program as fd 3, or -1
 * @param ownProcessGroup make the child the leader of a new process group (setpgid(0, 0)), so that
 *                     signals can be sent to it and everything it starts at once
 * @param becomeUid    with waitForGo: once the maps are written, drop every supplementary group and take
 *                     this uid and {@code becomeGid} inside the new user namespace; -1 to keep the ids.
 *                     For a launcher that is root under sudo: the namespace's creator is host root, which
 *                     the maps do not contain, so the child must move to the mapped ids itself
 * @param becomeGid    see becomeUid
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
        boolean dropCapabilities,
        boolean noNewPrivs,
        byte[] seccompFilter,
        String workdir,
        int passFd,
        boolean ownProcessGroup,
        int becomeUid,
        int becomeGid,
        int[] joinFds) {

    /** A plain child: no namespaces, no credential changes. */
    public static ChildSpec of(String executable, List<String> argv, List<String> env) {
        return new ChildSpec(executable, argv, env, 0, false, false, false, false, null, null, -1, false, -1, -1, null);
    }

    public ChildSpec inNewNamespaces(long flags) {
        return new ChildSpec(executable, argv, env, flags, true, true, false, noNewPrivs, seccompFilter, workdir, passFd,
                ownProcessGroup, becomeUid, becomeGid, joinFds);
    }

    public ChildSpec unprivileged(byte[] filter) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, false, true, true, filter, workdir, passFd,
                ownProcessGroup, becomeUid, becomeGid, joinFds);
    }

    public ChildSpec in(String directory) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, dropCapabilities,
                noNewPrivs, seccompFilter, directory, passFd, ownProcessGroup, becomeUid, becomeGid, joinFds);
    }

    public ChildSpec inOwnProcessGroup() {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, dropCapabilities,
                noNewPrivs, seccompFilter, workdir, passFd, true, becomeUid, becomeGid, joinFds);
    }

    public ChildSpec passing(int fd) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, dropCapabilities,
                noNewPrivs, seccompFilter, workdir, fd, ownProcessGroup, becomeUid, becomeGid, joinFds);
    }

    public ChildSpec becoming(int uid, int gid) {
        return new ChildSpec(executable, argv, env, cloneFlags, waitForGo, keepCapabilities, dropCapabilities,
                noNewPrivs, seccompFilter, workdir, passFd, ownProcessGroup, uid, gid, joinFds);
    }

    /** Enter existing namespaces and a root instead (see {@code joinFds}). */
    public ChildSpec joining(int[] fds) {
        return new ChildSpec(executable, argv, env, 0, false, false, dropCapabilities, noNewPrivs, seccompFilter, workdir,
                passFd, ownProcessGroup, -1, -1, fds.clone());
    }
}
