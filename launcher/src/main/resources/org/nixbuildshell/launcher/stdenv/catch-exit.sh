# shellcheck shell=bash
# nix-build-shell: for the interactive shell only (ShellScripts puts this text into its rc).
# stdenv's functions call `exit` on errors (unpackPhase in an unpacked tree, findInputs,
# unpackFile, patchShebangs…), which would end the whole session. Inside a function called at
# the prompt, `exit` instead says so and goes back to the prompt ($? is then 130): SIGINT to
# the shell itself abandons the running command line, as Ctrl-C does, and keeps every variable
# the function set. `exit` typed at the prompt, in a subshell, or while the shell is already
# leaving (stdenv's exitHandler) is bash's own.
exit() {
    if [ "${BASH_SUBSHELL:-0}" = 0 ] && [ "${#FUNCNAME[@]}" -gt 1 ] && [[ $- == *i* ]] \
        && [[ " ${FUNCNAME[*]} " != *" exitHandler "* ]]; then
        echo "nix-build-shell: ${FUNCNAME[1]} called 'exit ${1-}': back at the prompt instead (type exit there to leave)" >&2
        kill -INT "$$"
    fi
    builtin exit "$@"
}
