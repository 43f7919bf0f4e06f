# shellcheck shell=bash
# nix-build-shell: bash functions sourced inside the sandbox after nixpkgs' $stdenv/setup
# (ShellScripts puts this text into the shell's script or rc; it is no standalone script).
# They bring back what the phases before a phase leave in the builder's shell but not in
# env-vars (only exported variables land there), by stdenv's own rules; README, "The phase's
# state", lists them.

# phases as genericBuild computes it: stdenv's definePhases when it has one, else the
# documented default order with the pre*/post* phase lists spliced in.
__nbs_define_phases() {
    if declare -F definePhases >/dev/null; then
        definePhases
    elif [ -z "${phases[*]:-}" ]; then
        phases="${prePhases[*]:-} unpackPhase patchPhase ${preConfigurePhases[*]:-} configurePhase"
        phases+=" ${preBuildPhases[*]:-} buildPhase checkPhase ${preInstallPhases[*]:-} installPhase"
        phases+=" ${preFixupPhases[*]:-} fixupPhase installCheckPhase ${preDistPhases[*]:-} distPhase"
        phases+=" ${postPhases[*]:-}"
    fi
}

# True when phase $1 runs before phase $2 in $phases, or when $2 is unknown (empty).
__nbs_ran_before() {
    local p
    [ -n "$2" ] || return 0
    # shellcheck disable=SC2048 # a string or an array of space-free names, split as genericBuild splits it
    for p in ${phases[*]}; do
        [ "$p" != "$2" ] || return 1
        [ "$p" != "$1" ] || return 0
    done
    return 1
}

# The state the builder's shell had when phase $1 (may be empty: unknown) started.
__nbs_restore_state() {
    local target="${1-}" top=/build d # the copy, whatever NIX_BUILD_TOP an unsandboxed build had
    __nbs_define_phases
    # unpackPhase: sourceRoot is the one directory the sources unpacked to in /build
    # (with several, the one the failed phase ran in); genericBuild then works in it.
    if [ -z "${sourceRoot-}" ] && [ -z "${dontUnpack-}" ] && __nbs_ran_before unpackPhase "$target"; then
        local -a dirs=()
        for d in "$top"/*; do
            if [ -d "$d" ]; then dirs+=("${d##*/}"); fi
        done
        if [ "${#dirs[@]}" = 1 ]; then
            sourceRoot="${dirs[0]}"
        elif [[ "$PWD" == "$top"/?* ]]; then
            d="${PWD#"$top"/}"
            sourceRoot="${d%%/*}"
        fi
    fi
    if [ -n "$target" ] && ! __nbs_ran_before unpackPhase "$target"; then
        cd -- "$top" || return # unpackPhase and the phases before it run in /build
    elif [ -n "$target" ] && [ "$PWD" = "$top" ] && [ -n "${sourceRoot-}" ] && [ -d "$top/$sourceRoot" ] && __nbs_ran_before unpackPhase "$target"; then
        # after unpackPhase genericBuild works in the source root; env-vars (its PWD) did not say where
        cd -- "$top/$sourceRoot" || return
    fi
    # buildPhase (the default one, when not skipped): foundMakefile when a makefile is where it ran
    if [ -z "${foundMakefile-}" ] && __nbs_ran_before buildPhase "$target" && [ -z "${dontBuild-}" ] && [ -z "${buildPhase-}" ] \
        && [[ -n "${makeFlags-}" || -n "${makefile-}" || -e Makefile || -e makefile || -e GNUmakefile ]]; then
        foundMakefile=1
    fi
    return 0
}

# genericBuild from phase $1 on: stdenv's own loop and skip rules, with runPhase wrapped so
# that the phases before $1 are passed over.
__nbs_resume() {
    __nbs_from="$1"
    __nbs_reached=
    if [ -n "${buildCommand-}${buildCommandPath-}" ]; then
        echo "nix-build-shell: --resume: this build has no phases (it sets buildCommand)" >&2
        return 2
    fi
    if ! declare -F runPhase >/dev/null; then
        echo "nix-build-shell: --resume: this stdenv's setup has no runPhase; run the phases one by one with --phase" >&2
        return 2
    fi
    local stdenvRunPhase
    stdenvRunPhase="$(declare -f runPhase)"
    eval "__nbs_stdenv_runPhase ${stdenvRunPhase#runPhase}"
    # shellcheck disable=SC2317 # called by genericBuild
    runPhase() {
        if [ -z "$__nbs_reached" ]; then
            [ "$1" = "$__nbs_from" ] || return 0
            __nbs_reached=1
        fi
        __nbs_stdenv_runPhase "$@"
    }
    genericBuild
    if [ -z "$__nbs_reached" ]; then
        echo "nix-build-shell: --resume: $__nbs_from is not one of this build's phases (${phases[*]})" >&2
        return 2
    fi
}

# One phase the way genericBuild runs it.
__nbs_run_phase() {
    if declare -F runPhase >/dev/null; then
        runPhase "$1"
    else
        eval "${!1:-$1}"
    fi
}
