# shellcheck shell=bash
# Helpers shared by the scripts in scripts/ (not by scripts/nix-build-shell, which
# must start fast): source it with
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
# It sets `repo` (the checkout) and `me` (the script's name, the prefix of its messages).

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
me=${0##*/}

# say MESSAGE...: one line on stderr, prefixed with the script's name.
say() { printf '%s: %s\n' "$me" "$*" >&2; }

# die MESSAGE...: say "error: MESSAGE" and exit 1.
die() {
    say "error: $*"
    exit 1
}

# require_root [WHY]: exit unless run as root.
require_root() {
    [[ $EUID -eq 0 ]] || die "run me as root, or with sudo (sudo $0)${1:+: $1}"
}

# installed PACKAGE: true when the Debian package is installed.
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# missing_packages PACKAGE...: print those that are not installed, one per line.
missing_packages() {
    local p
    for p in "$@"; do installed "$p" || printf '%s\n' "$p"; done
}

# apt_install PACKAGE...: install with apt-get, quietly; the log goes to stderr on failure.
apt_install() {
    (($#)) || return 0
    local log
    log=$(mktemp)
    say "installing Debian packages: $*"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } \
        >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# ---------------------------------------------------------------- the fixture scripts

# usage: the calling script's header comment (up to `set -euo`) as its usage; exits STATUS.
usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$SCRIPT" >&2
    exit "${1:-0}"
}

# parse_fixture_args ALLOWED ARGS...: --force sets FORCE=1; --with-bench, when ALLOWED names it, BENCH=1.
parse_fixture_args() {
    local allowed=$1 a
    shift
    for a in "$@"; do
        case $a in
        --force) FORCE=1 ;;
        --with-bench) [[ " $allowed " == *" --with-bench "* ]] && BENCH=1 || { say "unknown argument: $a"; usage 2; } ;;
        -h | --help) usage 0 ;;
        *)
            say "unknown argument: $a"
            usage 2
            ;;
        esac
    done
}

# hash_of: the SHA-256 of standard input, hex digits only (the fixture scripts' stamps).
hash_of() { sha256sum | cut -d' ' -f1; }

# stamp_matches STAMPFILE HASH: the stamp file holds that hash.
stamp_matches() { [[ -f $1 && $(<"$1") == "$2" ]]; }

# env_paths_exist FILE VAR...: every named variable of FILE is empty or an existing path (a GC or a
# manual rm makes a stamp a lie).
env_paths_exist() {
    local file=$1
    shift
    [[ -r $file ]] || return 1
    (
        set +u
        # shellcheck disable=SC1090
        . "$file"
        for v in "$@"; do
            [[ -z ${!v} || -e ${!v} ]] || exit 1
        done
    )
}

# jdk_feature HOME: the feature version of the JDK at HOME (25 for 25.0.3), from
# its release file; 0 when it has none. As scripts/nix-build-shell reads it.
jdk_feature() {
    local v
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" 2>/dev/null | head -1)
    v=${v#1.}
    v=${v%%[!0-9]*}
    echo "${v:-0}"
}

# jdk_home FEATURE: the home of a JDK of that feature version under /usr/lib/jvm
# ("newest": the newest, 17 or later, as scripts/nix-build-shell chooses it); fails if none.
jdk_home() {
    local dir f best=0 best_home=""
    for dir in /usr/lib/jvm/*/; do
        dir=${dir%/}
        [[ ! -L $dir && -x $dir/bin/java ]] || continue
        f=$(jdk_feature "$dir")
        if [[ $1 == newest ]]; then
            ((f >= 17 && f > best)) && best=$f best_home=$dir
        elif ((f == $1)); then
            echo "$dir"
            return 0
        fi
    done
    [[ -n $best_home ]] && echo "$best_home"
}
