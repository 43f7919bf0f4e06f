# The builder's nix-build-shell under ssh without a terminal (remote/RemoteLaunch.java):
# sh -c "$this" run SCRIPT ARGS... Without a pty, sshd signals nothing when the
# connection drops, so the session would run on; this watches for sshd's
# session process going (we are then re-parented) and sends the launcher the
# SIGHUP a terminal's hangup would. The exit status is the launcher's.
nbs=$1
shift
exec 3<&0 # an asynchronous command's stdin would be /dev/null
"$nbs" "$@" <&3 3<&- &
child=$!
exec 3<&-
sshd=$PPID
# field 4 of /proc/PID/stat is the parent's pid
parent() { read -r _ _ _ ppid _ </proc/$$/stat && echo "$ppid"; }
(
    while [ "$(parent)" = "$sshd" ] && kill -0 "$child"; do sleep 1; done
    kill -HUP "$child"
) </dev/null >/dev/null 2>&1 &
watch=$!
wait "$child"
status=$?
kill "$watch" 2>/dev/null
exit "$status"
