package org.nixbuildshell.launcher.run;

import java.util.Map;

/**
 * The shell text run inside: source the build's environment the way the
 * failed phase saw it, then run the command or hand over to the user.
 */
public final class ShellScripts {
    private ShellScripts() {}

    /**
     * For {@code $SHELL -c SCRIPT -- COMMAND ARGS...}. A command that is no
     * program but a stdenv function (genericBuild, buildPhase, runPhase…) loads
     * $stdenv/setup first, as nix-shell --run does, with the setup's own shell
     * options, as the real build had them.
     */
    public static String command(boolean attrsSh, Map<String, String> setenv, boolean stdenvSetup) {
        String loadSetup = !stdenvSetup ? "" : "case $1 in */*) ;; *)\n"
                + "  if [ -z \"$(type -t -- \"$1\")\" ]; then source \"$stdenv/setup\"; fi ;;\n"
                + "esac\n";
        // builtins and stdenv functions cannot be exec'd: run them in place
        return prelude(attrsSh, setenv)
                + loadSetup
                // one clear line instead of bash's two ("--: line 8: ...") for a path that cannot run
                + "case $1 in */*)\n"
                + "  if [ ! -e \"$1\" ]; then echo \"nix-build-shell: $1: no such file inside the sandbox\" >&2; exit 127\n"
                + "  elif [ -d \"$1\" ] || [ ! -x \"$1\" ]; then\n"
                + "    echo \"nix-build-shell: $1: not executable (a directory, or no x permission)\" >&2; exit 126; fi ;;\n"
                + "esac\n"
                + "case $(type -t -- \"$1\") in\n"
                + "  builtin|function) \"$@\"; exit ;;\n"
                + "  '') case $1 in */*) ;; *)\n"
                + "      echo \"nix-build-shell: $1: command not found inside the sandbox (PATH=${PATH-})\" >&2\n"
                + "      exit 127 ;; esac ;;\n"
                + "esac\n"
                + "exec \"$@\"\n";
    }

    /**
     * The rc file of the interactive shell (read from fd 3): the build's
     * environment, the stdenv's setup when there is one so genericBuild and the
     * phases work as in nix-shell, and a prompt that says where you are.
     */
    public static String rc(boolean attrsSh, Map<String, String> setenv, boolean stdenvSetup, String workdir) {
        StringBuilder s = new StringBuilder();
        s.append("exec 3<&-\nunset BASH_ENV\n");
        s.append(prelude(attrsSh, Map.of()));
        if (stdenvSetup) {
            // as nix-shell does: setup turns on errexit/nounset/pipefail, which an interactive shell must not keep
            s.append("source \"$stdenv/setup\"\nset +e +u +o pipefail\n");
        }
        s.append(exports(setenv));
        s.append("unset HISTFILE\n");
        s.append("cd -- ").append(quote(workdir)).append(" 2>/dev/null\n");
        s.append("PS1='\\n\\[\\033[1;32m\\][nix-build-shell:\\w]\\$\\[\\033[0m\\] '\n");
        return s.toString();
    }

    private static String prelude(boolean attrsSh, Map<String, String> setenv) {
        // TERM is in our environment only for a terminal; then it names that terminal, whatever
        // env-vars recorded (nix-shell keeps the caller's TERM too), or less and vi draw wrong.
        // Only an exported TERM counts: bash itself sets an unexported TERM=dumb when there is none.
        StringBuilder s = new StringBuilder("case $(declare -p TERM 2>/dev/null) in 'declare -x '*) __nbs_term=$TERM ;; esac\n"
                + "source /build/env-vars\n");
        if (attrsSh) {
            s.append("source /build/.attrs.sh\n");
            // Nix 2.8 exports these as host paths (/tmp/nix-build-…/.attrs.*); inside they are in /build
            for (String v : new String[] {"NIX_ATTRS_SH_FILE=/build/.attrs.sh", "NIX_ATTRS_JSON_FILE=/build/.attrs.json"}) {
                String name = v.substring(0, v.indexOf('='));
                s.append("if [ -n \"${").append(name).append("-}\" ] && [ ! -e \"$").append(name).append("\" ]; then export ")
                        .append(v).append("; fi\n");
            }
        }
        s.append("if [ -n \"${__nbs_term-}\" ]; then export TERM=\"$__nbs_term\"; fi; unset __nbs_term\n");
        s.append(exports(setenv));
        return s.toString();
    }

    private static String exports(Map<String, String> setenv) {
        StringBuilder s = new StringBuilder();
        setenv.forEach((name, value) -> s.append("export ").append(name).append('=').append(quote(value)).append('\n'));
        return s.toString();
    }

    /** Single-quote for the shell: the only special character inside is ' itself. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
