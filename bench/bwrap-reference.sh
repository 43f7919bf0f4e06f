#!/usr/bin/env bash
# bwrap-reference.sh BUILD_DIR [COMMAND ARGS...] — the job nix-build-shell does,
# written by hand with Debian's bubblewrap, as the yardstick of scripts/bench.
# Only for measuring: no error messages, no interactive shell, no signal
# handling, no option parsing.
#
# Like nix-build-shell: cp -a the build dir into a temp dir; /etc with exactly
# passwd, group, hosts; /build writable; each path of the closure of the store
# paths env-vars names (nix-store --query --requisites) bound read-only under a
# writable /nix/store; the devices; /proc; tmpfs /dev/shm; uid 1000, gid 100;
# hostname localhost; new user, mount, pid, net, uts, ipc (and cgroup)
# namespaces; an empty environment; $SHELL -c 'source /build/env-vars; exec "$@"'.
set -euo pipefail

dir=${1:?usage: bwrap-reference.sh BUILD_DIR [COMMAND ARGS...]}
shift
# outer directories of newer Nix (…/build) and Lix (…/b)
for inner in build b; do
    [[ ! -f $dir/env-vars && -f $dir/$inner/env-vars ]] && dir=$dir/$inner
done
env_vars=$dir/env-vars

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bwrap-reference.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -a --reflink=auto --no-preserve=ownership -- "$dir" "$tmp/build"
chmod 0700 "$tmp/build"
mkdir "$tmp/etc"
printf '%s\n' 'root:x:0:0:Nix build user:/build:/noshell' 'nixbld:x:1000:100:Nix build user:/build:/noshell' \
    'nobody:x:65534:65534:Nobody:/:/noshell' >"$tmp/etc/passwd"
printf '%s\n' 'root:x:0:' 'nixbld:!:100:' 'nogroup:x:65534:' >"$tmp/etc/group"
printf '%s\n' '127.0.0.1 localhost' '::1 localhost' >"$tmp/etc/hosts"

shell=$(sed -n 's/^declare -x SHELL="\(.*\)"$/\1/p' "$env_vars")
mapfile -t roots < <(grep -o '/nix/store/[0-9a-z]\{32\}-[^/"[:space:]]*' "$env_vars" | sort -u)
existing=()
for root in "${roots[@]}"; do
    [[ -e $root ]] && existing+=("$root")
done
store=()
if ((${#existing[@]})); then
    mapfile -t store < <(nix-store --query --requisites "${existing[@]}")
fi

args=(--unshare-all --unshare-user --uid 1000 --gid 100 --hostname localhost --die-with-parent --clearenv
      --perms 0700 --dir /build --bind "$tmp/build" /build
      --perms 01777 --dir /tmp
      --perms 01775 --dir /nix/store)
for path in "${store[@]}"; do
    args+=(--ro-bind "$path" "$path")
done
args+=(--ro-bind "$shell" /bin/sh
       --ro-bind "$tmp/etc/passwd" /etc/passwd --ro-bind "$tmp/etc/group" /etc/group
       --ro-bind "$tmp/etc/hosts" /etc/hosts)
for device in full kvm null random tty urandom zero ptmx; do
    [[ -e /dev/$device ]] && args+=(--dev-bind "/dev/$device" "/dev/$device")
done
args+=(--dev-bind /dev/pts /dev/pts --perms 01777 --tmpfs /dev/shm --proc /proc
       --symlink /proc/self/fd /dev/fd --symlink /proc/self/fd/0 /dev/stdin
       --symlink /proc/self/fd/1 /dev/stdout --symlink /proc/self/fd/2 /dev/stderr
       --chdir /build)

status=0
bwrap "${args[@]}" "$shell" -c 'source /build/env-vars; exec "$@"' -- "$@" || status=$?
exit "$status"
