#!/usr/bin/env bash
# sandbox-probe.sh - print the observable properties of the build sandbox this
# runs in, one "key: value" line each, in a fixed order (listings sorted).
#
# It runs twice on the same build: inside the real Nix sandbox (the `simple`
# fixture's builder writes its output to $NIX_BUILD_TOP/probe.nix.out) and
# inside nix-build-shell on the kept directory; the tests diff the two.
# Run it with bash and the fixture tools on PATH (tools/bin:busybox/bin:bash/bin).
#
# Rules: never abort (no set -e/-u); a check that cannot run prints
# "key: ERROR <reason>"; a denied operation is a result, printed as
# "denied (<reason>)"; nothing that always differs between two runs (pids,
# namespace ids, timestamps) is printed. Everything it creates is removed.

PROBE_VERSION=2

# Capture the environment before this script sets anything.
mapfile -t ENV_KEYS < <(compgen -e)

# Bash's own globbing/sorting in the C locale, without exporting anything.
LC_ALL=C
TMPF=/tmp/.nbs-probe-$$

say() { printf '%s: %s\n' "$1" "$2"; }

# "touch: cannot touch '/x': Read-only file system" -> "Read-only file system"
reason() {
    local m=${1//$'\n'/ }
    m=${m%% }
    printf '%s' "${m##*: }"
}

# Collapse runs of blanks to one space.
squeeze() {
    local IFS=$' \t'
    set -f
    # shellcheck disable=SC2086
    set -- $1
    set +f
    printf '%s' "$*"
}

# run KEY CMD...: one "KEY: line" per output line, or "KEY: ERROR ..." if the
# command fails. stdin is /dev/null so nothing waits for a terminal.
run() {
    local key=$1 out rc line
    shift
    out=$("$@" 2>&1 </dev/null)
    rc=$?
    if ((rc != 0)); then
        if [[ -n $out ]]; then say "$key" "ERROR exit $rc: $(reason "$out")"; else say "$key" "ERROR exit $rc"; fi
        return
    fi
    if [[ -z $out ]]; then
        say "$key" "<empty>"
        return
    fi
    while IFS= read -r line; do say "$key" "$line"; done < <(printf '%s\n' "$out")
}

# show_file KEY FILE: each line of FILE, blanks squeezed.
show_file() {
    local key=$1 file=$2 line n=0
    if [[ ! -r $file ]]; then
        say "$key" "ERROR cannot read $file"
        return
    fi
    while IFS= read -r line || [[ -n $line ]]; do
        say "$key" "$(squeeze "$line")"
        n=$((n + 1))
    done <"$file"
    ((n > 0)) || say "$key" "<empty>"
}

# attempt KEY CMD...: "allowed" if CMD succeeds, else "denied (<reason>)".
attempt() {
    local key=$1 out
    shift
    if out=$("$@" 2>&1 </dev/null); then
        say "$key" "allowed"
    else
        say "$key" "denied ($(reason "$out"))"
    fi
}

csort() { LC_ALL=C sort; }

# ---------------------------------------------------------------- checks

check_identity() {
    run id.uid id -u
    run id.gid id -g
    run id.groups id -G
    run id.user id -un
    run id.group id -gn
    show_file uid_map /proc/self/uid_map
    show_file gid_map /proc/self/gid_map
    show_file setgroups /proc/self/setgroups
}

check_uts() {
    run uts.hostname hostname
    run uts.domainname domainname
    show_file uts.proc_hostname /proc/sys/kernel/hostname
    show_file uts.proc_domainname /proc/sys/kernel/domainname
}

# Interfaces from `ip -j addr`, reduced to name, flags and addresses, e.g.
# "net.if: lo flags=LOOPBACK,UP,LOWER_UP addr=127.0.0.1/8 addr=::1/128".
check_network() {
    local json rc s cur="" line
    local -a lines=()
    json=$(ip -j addr 2>&1 </dev/null)
    rc=$?
    if ((rc != 0)) || [[ $json != \[* ]]; then
        say net.if "ERROR ip -j addr: $(reason "$json")"
        # Fallback: interface names from procfs.
        local name
        while IFS=: read -r name _; do
            name=$(squeeze "$name")
            [[ $name == *"|"* || -z $name ]] && continue
            say net.proc_dev "$name"
        done </proc/net/dev
        return
    fi
    local re='"ifname":"([^"]*)"|"flags":\[([^]]*)\]|"local":"([^"]*)","prefixlen":([0-9]+)'
    s=$json
    while [[ $s =~ $re ]]; do
        if [[ -n ${BASH_REMATCH[1]} ]]; then
            [[ -n $cur ]] && lines+=("$cur")
            cur=${BASH_REMATCH[1]}
        elif [[ -n ${BASH_REMATCH[3]} ]]; then
            cur+=" addr=${BASH_REMATCH[3]}/${BASH_REMATCH[4]}"
        else
            local flags=${BASH_REMATCH[2]//\"/}
            cur+=" flags=${flags:-<none>}"
        fi
        s=${s#*"${BASH_REMATCH[0]}"}
    done
    [[ -n $cur ]] && lines+=("$cur")
    if ((${#lines[@]} == 0)); then
        say net.if "<none>"
        return
    fi
    while IFS= read -r line; do say net.if "$line"; done < <(printf '%s\n' "${lines[@]}" | csort)
}

# stat_line PATH: "PATH TYPE MODE USER:GROUP fs=FSTYPE"
stat_line() {
    local st fs
    st=$(stat -c '%n %F %a %U:%G' "$1" 2>&1) || {
        printf '%s ERROR %s' "$1" "$(reason "$st")"
        return
    }
    fs=$(stat -f -c %T "$1" 2>&1) || fs="ERROR $(reason "$fs")"
    printf '%s fs=%s' "$st" "$fs"
}

check_root() {
    local names name
    if ! names=$(ls -A / 2>&1); then
        say root.ls "ERROR $(reason "$names")"
        return
    fi
    local -a sorted=()
    mapfile -t sorted < <(printf '%s\n' "$names" | csort)
    say root.ls "${sorted[*]}"
    say root.stat "$(stat_line /)"
    for name in "${sorted[@]}"; do
        say root.stat "$(stat -c '%n %F %a %U:%G' "/$name" 2>&1)"
    done
}

check_stats() {
    local p
    for p in /build /tmp /dev /dev/shm /dev/pts /proc /etc /nix /nix/store /bin /bin/sh; do
        say stat "$(stat_line "$p")"
    done
    run stat.bin_sh_target readlink -f /bin/sh
    run bin.ls ls -A /bin
    run bin.sh_runs /bin/sh -c 'echo ok'
}

check_dev() {
    local out
    if out=$(find /dev -maxdepth 1 -printf '%f,%y,%l\n' 2>&1); then
        while IFS= read -r line; do say dev "$line"; done < <(printf '%s\n' "$out" | csort)
    else
        say dev "ERROR $(reason "$out")"
    fi
    attempt dev.write_null "$BASH" -c 'echo x >/dev/null'
    attempt dev.write_full "$BASH" -c 'echo x >/dev/full'
    run dev.read_zero "$BASH" -c 'head -c 4 /dev/zero | wc -c'
    run dev.read_urandom "$BASH" -c 'head -c 4 /dev/urandom | wc -c'
    attempt dev.write_shm "$BASH" -c "touch /dev/shm/.nbs-probe-$$ && rm /dev/shm/.nbs-probe-$$"
}

check_etc() {
    local out f
    if out=$(ls -A /etc 2>&1); then
        while IFS= read -r line; do say etc.ls "$line"; done < <(printf '%s\n' "$out" | csort)
    else
        say etc.ls "ERROR $(reason "$out")"
    fi
    for f in passwd group hosts; do
        show_file "etc.$f" "/etc/$f"
    done
}

check_status() {
    local key val found=""
    if [[ ! -r /proc/self/status ]]; then
        say status "ERROR cannot read /proc/self/status"
        return
    fi
    while IFS=: read -r key val; do
        case $key in
        CapInh | CapPrm | CapEff | CapAmb | CapBnd | NoNewPrivs | Seccomp)
            say "status.$key" "$(squeeze "$val")"
            found+=" $key"
            ;;
        esac
    done </proc/self/status
    for key in CapInh CapPrm CapEff CapAmb CapBnd NoNewPrivs Seccomp; do
        [[ $found == *" $key"* ]] || say "status.$key" "<absent>"
    done
}

check_limits() {
    say umask "$(umask)"
    say ulimit.core "$(ulimit -c)"
}

# Nix sets ADDR_NO_RANDOMIZE (0040000), and PER_LINUX32 for i686 builds.
check_personality() {
    show_file personality /proc/self/personality
}

# Nix enters its root with pivot_root: a user namespace can be made inside
# (some test suites do). Under a plain chroot the kernel says EPERM.
check_userns() {
    if command -v unshare >/dev/null; then
        attempt userns.unshare unshare -U true
    else
        say userns.unshare "ERROR unshare not on PATH"
    fi
}

check_writes() {
    attempt write.root "$BASH" -c "touch /.nbs-probe-$$ && rm /.nbs-probe-$$"
    attempt write.etc "$BASH" -c "touch /etc/.nbs-probe-$$ && rm /etc/.nbs-probe-$$"
    attempt write.tmp "$BASH" -c "touch /tmp/.nbs-probe-w-$$ && rm /tmp/.nbs-probe-w-$$"
    attempt write.build "$BASH" -c "touch /build/.nbs-probe-$$ && rm /build/.nbs-probe-$$"
    attempt write.nix_store "$BASH" -c "touch /nix/store/.nbs-probe-$$ && rm /nix/store/.nbs-probe-$$"
    if [[ -n ${out:-} ]]; then
        # shellcheck disable=SC2016 # $out is expanded by the inner bash
        attempt write.mkdir_out "$BASH" -c 'mkdir "$out" && rmdir "$out"'
    else
        say write.mkdir_out "ERROR \$out is not set"
    fi
    # An input store path: the one holding the bash running this script.
    local input=${BASH%/bin/bash}
    if [[ $input == /nix/store/* ]]; then
        attempt write.input_store_path touch "$input/.nbs-probe-$$"
        rm -f "$input/.nbs-probe-$$" 2>/dev/null
    else
        say write.input_store_path "ERROR bash is not in /nix/store ($BASH)"
    fi
}

# Nix's seccomp filter: set-id bits -> EPERM, extended attributes -> ENOTSUP.
check_seccomp() {
    if ! touch "$TMPF" 2>/dev/null; then
        say seccomp "ERROR cannot create $TMPF"
        return
    fi
    attempt seccomp.chmod_u+s chmod u+s "$TMPF"
    attempt seccomp.chmod_g+s chmod g+s "$TMPF"
    attempt seccomp.chmod_plain chmod 0640 "$TMPF"
    if command -v setfattr >/dev/null; then
        attempt seccomp.setxattr setfattr -n user.nbsprobe -v 1 "$TMPF"
    else
        say seccomp.setxattr "SKIP no setfattr"
    fi
    rm -f "$TMPF"
}

check_env() {
    local k
    local -a keys=()
    for k in "${ENV_KEYS[@]}"; do
        [[ $k == _ ]] || keys+=("$k")
    done
    if ((${#keys[@]} == 0)); then
        say env.key "<none>"
    else
        while IFS= read -r k; do say env.key "$k"; done < <(printf '%s\n' "${keys[@]}" | csort)
    fi
    for k in HOME PWD TMPDIR TMP TEMP TEMPDIR NIX_BUILD_TOP NIX_BUILD_CORES NIX_STORE TERM SHELL; do
        if [[ -v $k ]]; then say "env.$k" "${!k}"; else say "env.$k" "<unset>"; fi
    done
}

check_cwd() {
    say pwd "$(pwd)"
    say pwd.physical "$(pwd -P)"
}

# Counted with a glob in this shell, so no helper process is counted.
check_processes() {
    local -a procs=(/proc/[0-9]*)
    [[ -e ${procs[0]} ]] || procs=()
    say proc.count "${#procs[@]}"
    if [[ -d /proc/1 ]]; then say proc.pid1 "exists"; else say proc.pid1 "missing"; fi
}

check_store() {
    local out
    if ! out=$(ls -A /nix/store 2>&1); then
        say store "ERROR $(reason "$out")"
        return
    fi
    local -a entries=()
    [[ -n $out ]] && mapfile -t entries < <(printf '%s\n' "$out" | csort)
    say store.count "${#entries[@]}"
    local e
    for e in "${entries[@]}"; do say store.entry "$e"; done
}

# Mount points with fs type and the security-relevant flags, sorted.
check_mounts() {
    local point opts rest fstype flags o
    local -a lines=()
    if [[ ! -r /proc/self/mountinfo ]]; then
        say mount "ERROR cannot read /proc/self/mountinfo"
        return
    fi
    while read -r _ _ _ _ point opts rest; do
        fstype=${rest#*- }
        fstype=${fstype%% *}
        flags=""
        for o in ro rw nosuid nodev noexec; do
            [[ ,$opts, == *,$o,* ]] && flags+=",$o"
        done
        lines+=("$point $fstype ${flags#,}")
    done </proc/self/mountinfo
    while IFS= read -r o; do say mount "$o"; done < <(printf '%s\n' "${lines[@]}" | csort)
}

# Every tool the fixtures promise must run here.
check_tools() {
    local t
    local -A args=(
        [find]="--version" [stat]="--version" [id]="-u" [ls]="/" [cat]="/etc/passwd"
        [readlink]="-f /" [env]="true" [ip]="-j addr" [ps]="-e" [hostname]=""
        [domainname]="" [sleep]="0" [mkdir]="--version" [touch]="--version"
        [sha256sum]="/etc/hosts" [less]="--help" [vi]="--help" [sort]="--version"
        [setfattr]="--version" [unshare]="--version"
    )
    for t in find stat id ls cat readlink env ip ps hostname domainname sleep mkdir touch sha256sum less vi sort setfattr unshare; do
        local path
        if ! path=$(command -v "$t"); then
            # setfattr comes from Debian's optional `attr` package.
            if [[ $t == setfattr ]]; then say "tool.$t" "SKIP not on PATH"; else say "tool.$t" "ERROR not on PATH"; fi
            continue
        fi
        local out
        # shellcheck disable=SC2086
        if out=$("$t" ${args[$t]} 2>&1 </dev/null); then
            say "tool.$t" "ok $path"
        else
            say "tool.$t" "ERROR $path: $(reason "$out")"
        fi
    done
}

# ---------------------------------------------------------------- main

say probe.version "$PROBE_VERSION"
say bash.version "$BASH_VERSION"
check_processes
check_identity
check_uts
check_network
check_root
check_stats
check_dev
check_etc
check_status
check_limits
check_personality
check_userns
check_writes
check_seccomp
check_env
check_cwd
check_store
check_mounts
check_tools
exit 0
