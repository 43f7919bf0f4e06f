# nix-build-shell's upload of itself to a builder (remote/Shipping.java), run by
# sh over ssh: sh -c "$this" upload DIR, with a tar stream on stdin holding the
# files and their manifest (nix-build-shell.sha256). Unpacked next to DIR,
# checked, then moved into place, so DIR is always whole. Two first uses at once
# both upload; the second to finish finds DIR whole (its manifest's hashes hold
# there) and keeps it, and a lock (where flock exists) orders the moves.
dest=$1
parent=${dest%/*}
mkdir -p "$parent" || exit 1
incoming=$(mktemp -d "$parent/.incoming.XXXXXX") || exit 1
trap 'rm -rf "$incoming" "$incoming.old"' EXIT
tar -xf - -C "$incoming" || { echo "tar could not unpack the files" >&2; exit 1; }
(cd "$incoming" && sha256sum -c --status nix-build-shell.sha256) || {
    echo "the files arrived damaged (their SHA-256 differ)" >&2
    exit 1
}
if command -v flock >/dev/null 2>&1; then
    exec 9>"$parent/.lock" && flock 9
fi
if [ -d "$dest" ] && (cd "$dest" && sha256sum -c --status "$incoming/nix-build-shell.sha256" 2>/dev/null); then
    exit 0 # another upload of the same files came first
fi
if [ -e "$dest" ]; then mv "$dest" "$incoming.old" || exit 1; fi
# -T: never into a DIR that appeared meanwhile (without flock), as a subdirectory of it
mv -T "$incoming" "$dest"
