package org.nixbuildshell.spawn;

import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import java.io.IOException;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.seccomp.SeccompCompiler;
import org.nixbuildshell.sys.ProcFs;
import org.nixbuildshell.sys.Sys;

/**
 * Every native buffer the child needs, allocated by the parent before the
 * clone, so that the child only reads fields and passes addresses.
 */
final class PreparedChild {
    final long path;
    final long argv;
    final long envp;
    final long workdir;
    final long capHeader;
    final long capData;
    final long emptySigset;
    final long defaultAction;
    final long seccompProgram;
    final long oneByte;
    final long failedStep;
    final int lastCap;
    final boolean waitForGo;
    final boolean dieWithParent;
    final boolean keepCapabilities;
    final boolean dropCapabilities;
    final boolean applySettings;
    final int umask;
    final long coreLimit;
    final int personality;
    final boolean noNewPrivs;
    final long landlockScopes;
    final long landlockAttr;
    final int passFd;
    final boolean ownProcessGroup;
    final int becomeUid;
    final int becomeGid;
    final int[] joinFds;
    final long dot;
    final long fullSigset;
    final Memory waitStatus;
    int syncRead = -1;
    int syncWrite = -1;
    int execRead = -1;
    int execWrite = -1;

    // Strong references: the addresses above stay valid while this object lives.
    private final Object[] keepAlive;

    PreparedChild(ChildSpec spec) {
        Memory pathMem = Sys.cString(spec.executable());
        StringArray argvMem = new StringArray(spec.argv().toArray(new String[0]), "UTF-8");
        StringArray envMem = new StringArray(spec.env().toArray(new String[0]), "UTF-8");
        Memory workdirMem = spec.workdir() == null ? null : Sys.cString(spec.workdir());
        Memory header = new Memory(8);
        Memory data = new Memory(24);
        Memory sigset = new Memory(8);
        Memory defaultAction = new Memory(32);
        Memory scratch = new Memory(8);
        header.clear();
        data.clear();
        sigset.clear();
        defaultAction.clear();
        scratch.clear();
        ProcessSettings settings = spec.settings();
        Memory filter = null;
        Memory program = null;
        if (settings != null && settings.seccomp() != null) {
            byte[] code = SeccompCompiler.compile(settings.seccomp());
            filter = new Memory(code.length);
            filter.write(0, code, 0, code.length);
            program = new Memory(16);
            program.clear();
            program.setShort(0, (short) (code.length / 8));
            program.setPointer(8, filter);
        }
        // struct rlimit {cur, max} for RLIMIT_CORE; struct landlock_ruleset_attr {fs, net, scoped}
        Memory rlimit = new Memory(16);
        Memory landlock = new Memory(24);
        landlock.clear();
        if (settings != null) {
            rlimit.setLong(0, settings.coreLimit());
            rlimit.setLong(8, settings.coreLimit());
            landlock.setLong(16, settings.landlockScopes());
        }
        Memory dotMem = Sys.cString(".");
        Memory full = new Memory(8);
        full.setLong(0, -1L);
        this.waitStatus = new Memory(8);
        waitStatus.clear();
        this.keepAlive = new Object[] {pathMem, argvMem, envMem, workdirMem, header, data, sigset, defaultAction, scratch, filter, program,
            dotMem, full, rlimit, landlock};
        this.path = address(pathMem);
        this.argv = address(argvMem);
        this.envp = address(envMem);
        this.workdir = workdirMem == null ? 0 : address(workdirMem);
        this.capHeader = address(header);
        this.capData = address(data);
        this.emptySigset = address(sigset);
        this.defaultAction = address(defaultAction);
        this.seccompProgram = program == null ? 0 : address(program);
        this.oneByte = address(scratch);
        this.failedStep = address(scratch) + 4;
        this.lastCap = spec.keepCapabilities() ? readLastCap() : 0;
        this.waitForGo = spec.waitForGo();
        this.dieWithParent = spec.dieWithParent();
        this.keepCapabilities = spec.keepCapabilities();
        this.applySettings = settings != null;
        this.dropCapabilities = settings != null && settings.dropCapabilities();
        this.umask = settings == null ? 0 : settings.umask();
        this.coreLimit = address(rlimit);
        this.personality = settings == null ? 0 : settings.personality();
        this.noNewPrivs = settings != null && settings.noNewPrivs();
        this.landlockScopes = settings == null ? 0 : settings.landlockScopes();
        this.landlockAttr = address(landlock);
        this.passFd = spec.passFd();
        this.ownProcessGroup = spec.ownProcessGroup();
        this.becomeUid = spec.becomeUid();
        this.becomeGid = spec.becomeGid();
        this.joinFds = spec.joinFds();
        this.dot = address(dotMem);
        this.fullSigset = address(full);
    }

    private static long address(com.sun.jna.Pointer p) {
        return com.sun.jna.Pointer.nativeValue(p);
    }

    /** procfs reports size 0, so read to EOF rather than trusting the length. */
    private static int readLastCap() {
        try {
            return Integer.parseInt(ProcFs.read("/proc/sys/kernel/cap_last_cap").trim());
        } catch (IOException | NumberFormatException e) {
            return 40;
        }
    }
}
