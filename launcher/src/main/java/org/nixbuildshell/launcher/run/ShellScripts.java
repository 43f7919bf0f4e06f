package org.nixbuildshell.launcher.run;

import java.util.Map;
import org.nixbuildshell.launcher.stdenv.Stdenv;

/**
 * The shell text run inside: source the build's environment the way the
 * failed phase saw it, then run the command or hand over to the user.
 *
 * <p>Where the build has a stdenv, its setup is loaded as the builder loaded it
 * (from /build, where it looks for .attrs.sh), env-vars is sourced again so the
 * exported variables are exactly those of the failed phase, and the state the
 * earlier phases left unexported is re-created (phase-state.sh). All of this
 * is top-level code, not a function: env-vars' {@code declare -x} and setup's
 * {@code declare -a} would make locals inside one.
 */
public final class ShellScripts {
    private ShellScripts() {}

    /**
     * The script file of {@link #command} and {@link #phase}: {@code $SHELL /dev/fd/3 COMMAND ARGS…}
     * reads it from fd 3, as the builder reads default-builder.sh. Not {@code -c SCRIPT} (nor
     * {@code -c 'source …'}): bash 5.2 in -c mode corrupts its stack of function variables when
     * errexit fires in an eval inside a function (as in runPhase) and the EXIT trap then calls
     * functions (stdenv's exitHandler): "pop_var_context: head of shell_variables not a function
     * context". A script file does not.
     */
    public static final String SCRIPT_FILE = "/dev/fd/3";

    /** The first line of such a script: bash reads it through its own fd; the command gets no fd 3. */
    private static final String SOURCED = "exec 3<&-\n";

    /**
     * For {@code $SHELL SCRIPT_FILE COMMAND ARGS...}. A command that is no
     * program but a stdenv function (genericBuild, buildPhase, runPhase…) gets
     * the setup and the state of its phase first, and runs with errexit, as
     * {@code bash -e} runs the builder, so a failing phase fails the command.
     * With {@code innerShell} (the command is {@code bash -c …}) that bash gets
     * the setup too, as {@code nix-shell --run} would give it: through
     * BASH_ENV, reading {@link #innerShellRc} from fd 4, for that one bash only.
     */
    public static String command(boolean attrsSh, Map<String, String> setenv, Stdenv stdenv, boolean innerShell) {
        StringBuilder s = new StringBuilder(SOURCED).append(saveTerm()).append(envVars(attrsSh));
        if (stdenv.setup()) { // also for bash -c: a derivation target's PATH is /path-not-set until the setup
            s.append("case $1 in */*) ;; *)\n")
                    .append("  if [ -z \"$(type -t -- \"$1\")\" ]; then\n")
                    // the phase whose state to re-create: the one named, else the failed one
                    .append("    case $1 in runPhase) __nbs_target=${2-} ;; *Phase) __nbs_target=$1 ;; *) __nbs_target=")
                    .append(quote(nullToEmpty(stdenv.failedPhase()))).append(" ;; esac\n")
                    .append(loadStdenv(attrsSh, stdenv, "\"$__nbs_target\""))
                    .append("    unset __nbs_target\n")
                    .append("    set -e\n") // errexit, as bash -e runs default-builder.sh
                    .append("  fi ;;\n")
                    .append("esac\n");
        }
        // builtins and stdenv functions cannot be exec'd: run them in place
        return s.append(restoreTermAndSetenv(setenv))
                // one clear line instead of bash's two ("/dev/fd/3: line 8: ...") for a path that cannot run
                .append("case $1 in */*)\n")
                .append("  if [ ! -e \"$1\" ]; then echo \"nix-build-shell: $1: no such file inside the sandbox\" >&2; exit 127\n")
                .append("  elif [ -d \"$1\" ] || [ ! -x \"$1\" ]; then\n")
                .append("    echo \"nix-build-shell: $1: not executable (a directory, or no x permission)\" >&2; exit 126; fi ;;\n")
                .append("esac\n")
                .append("case $(type -t -- \"$1\") in\n")
                .append("  builtin|function) \"$@\"; exit ;;\n")
                .append("  '') case $1 in */*) ;; *)\n")
                .append("      echo \"nix-build-shell: $1: command not found inside the sandbox (PATH=${PATH-})\" >&2\n")
                .append("      exit 127 ;; esac ;;\n")
                .append("esac\n")
                .append(stdenv.setup() && innerShell
                        // a here-document: bash hands it over as a pipe (a file in /tmp when large)
                        ? "BASH_ENV=/dev/fd/4 exec \"$@\" 4<<'__NBS_INNER_RC__'\n" + innerShellRc(attrsSh, setenv, stdenv)
                                + "__NBS_INNER_RC__\n"
                        : "exec \"$@\"\n").toString();
    }

    /**
     * For {@code $SHELL SCRIPT_FILE}: one phase as genericBuild runs it, or
     * ({@code resume}) genericBuild from that phase to the end; errexit as in
     * the builder, so the status is the first failure's.
     */
    public static String phase(boolean attrsSh, Map<String, String> setenv, Stdenv stdenv, String phase, boolean resume) {
        return SOURCED + saveTerm() + envVars(attrsSh) + loadStdenv(attrsSh, stdenv, quote(phase)) + restoreTermAndSetenv(setenv)
                + "set -e\n"
                + (resume ? "__nbs_resume " : "__nbs_run_phase ") + quote(phase) + "\n";
    }

    /**
     * The rc file of the interactive shell (read from fd 3), or of a script
     * read from stdin: the build's environment, the stdenv's setup when there
     * is one so genericBuild and the phases work as in nix-shell, with
     * nix-shell's shell options, and a prompt that says where you are.
     */
    public static String rc(boolean attrsSh, Map<String, String> setenv, Stdenv stdenv, String workdir) {
        StringBuilder s = new StringBuilder("exec 3<&-\nunset BASH_ENV\n");
        s.append("cd -- ").append(quote(workdir)).append(" 2>/dev/null\n");
        s.append(saveTerm()).append(envVars(attrsSh));
        if (stdenv.setup()) {
            s.append(loadStdenv(attrsSh, stdenv, quote(nullToEmpty(stdenv.failedPhase()))));
            s.append(nixShellOptions());
            s.append(Stdenv.catchExit());
        }
        s.append(restoreTermAndSetenv(setenv));
        s.append("unset HISTFILE\n");
        s.append("PS1='\\n\\[\\033[1;32m\\][nix-build-shell:\\w]\\$\\[\\033[0m\\] '\n");
        return s.toString();
    }

    /** BASH_ENV of {@code bash -c …} run as the command (on fd 4): what {@link #rc} gives, for that bash alone. */
    private static String innerShellRc(boolean attrsSh, Map<String, String> setenv, Stdenv stdenv) {
        return "exec 4<&-\nunset BASH_ENV\n" + saveTerm() + envVars(attrsSh)
                + loadStdenv(attrsSh, stdenv, quote(nullToEmpty(stdenv.failedPhase()))) + nixShellOptions()
                + restoreTermAndSetenv(setenv);
    }

    /**
     * TERM is in our environment only for a terminal; then it names that terminal, whatever
     * env-vars recorded (nix-shell keeps the caller's TERM too), or less and vi draw wrong.
     * Only an exported TERM counts: bash itself sets an unexported TERM=dumb when there is none.
     */
    private static String saveTerm() {
        return "case $(declare -p TERM 2>/dev/null) in 'declare -x '*) __nbs_term=$TERM ;; esac\n";
    }

    /**
     * env-vars also sets PWD, which may name a directory outside /build or gone (init started us in
     * the checked working directory): cd back there, so PWD and the real directory agree.
     */
    private static String envVars(boolean attrsSh) {
        StringBuilder s = new StringBuilder("__nbs_cwd=$PWD\nsource /build/env-vars\ncd -- \"$__nbs_cwd\"; unset __nbs_cwd\n");
        if (attrsSh) {
            s.append("source /build/.attrs.sh\n");
            s.append(attrsFilesInside());
        }
        return s.toString();
    }

    /** Nix 2.8 exports these as host paths (/tmp/nix-build-…/.attrs.*); inside they are in /build. */
    private static String attrsFilesInside() {
        StringBuilder s = new StringBuilder();
        for (String v : new String[] {"NIX_ATTRS_SH_FILE=/build/.attrs.sh", "NIX_ATTRS_JSON_FILE=/build/.attrs.json"}) {
            String name = v.substring(0, v.indexOf('='));
            s.append("if [ -n \"${").append(name).append("-}\" ] && [ ! -e \"$").append(name).append("\" ]; then export ")
                    .append(v).append("; fi\n");
        }
        return s.toString();
    }

    /**
     * The setup sourced from /build as the builder sourced it (it detects structured attrs by
     * ./.attrs.sh), its stdout on stderr (it may print "structuredAttrs is enabled"; stdout belongs
     * to the command), without its closing dumpVars (noDumpEnvVars), which would overwrite the
     * failed phase's env-vars; env-vars again, since setup prepends to variables the failed phase
     * already had (NIX_LDFLAGS…); no NIX_LOG_FD, so no @nix lines reach the terminal; then the
     * state of phase {@code target} (a shell word).
     */
    private static String loadStdenv(boolean attrsSh, Stdenv stdenv, String target) {
        return "__nbs_pwd=$PWD\n"
                + "cd /build\n" // the copy is there, whatever NIX_BUILD_TOP an unsandboxed build had
                + "noDumpEnvVars=1\n"
                + "source \"$stdenv/setup\" >&2\n"
                + "unset noDumpEnvVars\n"
                + (stdenv.phaseDump() ? "source /build/env-vars\n" + (attrsSh ? attrsFilesInside() : "") : "")
                + "cd -- \"$__nbs_pwd\"; unset __nbs_pwd\n"
                + "unset NIX_LOG_FD\n"
                + Stdenv.phaseStateFunctions()
                + "__nbs_restore_state " + target + "\n";
    }

    /**
     * As nix-shell leaves its shell after the setup: no errexit or nounset, pipefail on, nullglob
     * off, execfail on; and none of our helper functions, which only the phase runs need.
     */
    private static String nixShellOptions() {
        return "set +e +u -o pipefail\nshopt -u nullglob\nshopt -s execfail\n"
                + "unset -f __nbs_define_phases __nbs_ran_before __nbs_restore_state __nbs_resume __nbs_run_phase\n";
    }

    private static String restoreTermAndSetenv(Map<String, String> setenv) {
        StringBuilder s = new StringBuilder("if [ -n \"${__nbs_term-}\" ]; then export TERM=\"$__nbs_term\"; fi; unset __nbs_term\n");
        setenv.forEach((name, value) -> s.append("export ").append(name).append('=').append(quote(value)).append('\n'));
        return s.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Single-quote for the shell: the only special character inside is ' itself. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
