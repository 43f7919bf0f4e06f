# nix-build-shell's probe of a builder (remote/Probe.java), run by sh over ssh:
# sh -c "$this" probe VERSION PATH, with the manifest of the local copy on stdin.
# It prints key=value lines: the builder's java, where its copy of this very
# nix-build-shell is (a checkout on PATH or the cache; empty when none
# matches the manifest), and whether PATH exists there.
version=$1
kept=$2
manifest=$(cat)
# matches ROOT: every file of the manifest is under ROOT, with its hash
matches() {
    [ -n "$1" ] && [ -d "$1" ] && printf '%s\n' "$manifest" | (cd "$1" && sha256sum -c --status - 2>/dev/null)
}
if command -v java >/dev/null 2>&1; then
    echo "java=$(java -version 2>&1 | head -n 1)"
else
    echo "java="
fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/nix-build-shell/dist/$version
echo "cache=$cache"
installed=$(command -v nix-build-shell 2>/dev/null) && installed=$(readlink -f "$installed") &&
    installed=${installed%/scripts/nix-build-shell}
if matches "$installed"; then
    echo "use=$installed"
elif matches "$cache"; then
    echo "use=$cache"
else
    echo "use="
fi
if [ -n "$kept" ]; then
    if [ -e "$kept" ]; then echo "kept=yes"; else echo "kept=no"; fi
fi
