# phases.awk — scripts/bench --phases: turns the marks that both JVMs print with
# NBS_PHASES set ("nix-build-shell[phases] TAG NAME=MS ...", ms since the entry
# script started) and each run's wall time ("wall MS") into a table of medians.
# Input: the runs one after another, each ended by its "wall" line.
# Each phase is the time between two marks; see PHASES below for which.

BEGIN {
    # JVM | what | from-mark | to-mark   (L. = launcher's mark, I. = init's)
    n = split("launcher|entry script (bash), until it execs java|0|L.script;" \
              "launcher|JVM boot, until main()|L.script|L.main;" \
              "launcher|command line, logging set up|L.main|L.logging;" \
              "launcher|target: build dir and env-vars (beside JNA)|L.logging|L.target;" \
              "launcher|JNA on the warm-up thread (libjnidispatch, libc, registration)|L.jna-start|L.jna;" \
              "launcher|working copy lock, join decision (after JNA)|L.jna|L.decided;" \
              "launcher|clone of init (and uid/gid maps)|L.decided|L.clone;" \
              "launcher|copy (cp -a, or the working copy reused)|L.clone|L.copy;" \
              "launcher|wait for the store query (nix-store --query)|L.copy|L.query;" \
              "launcher|profile (nix-store --version) and the plan|L.query|L.profile;" \
              "launcher|plan sent to init|L.profile|L.plan;" \
              "launcher|sandbox runs, until init has exited|L.plan|L.exit;" \
              "launcher|cleanup (working copy check, removal)|L.exit|L.cleanup;" \
              "launcher|JVM exit|L.cleanup|WALL;" \
              "init|JVM boot, from its clone until main()|L.clone|I.main;" \
              "init|logging set up|I.main|I.logging;" \
              "init|JNA (libjnidispatch, libc, registration)|I.jna-start|I.jna;" \
              "init|seccomp program, clone warm-up|I.jna|I.ready;" \
              "init|waiting for the plan|I.ready|I.plan;" \
              "init|setup steps (skeleton, /etc, /dev)|I.plan|I.setup;" \
              "init|mounts, pivot_root, profile|I.setup|I.mounts;" \
              "init|clone and exec of the command|I.mounts|I.exec;" \
              "init|the command (true) and its exit|I.exec|I.command;" \
              "init|init's exit, until the launcher sees it|I.command|L.exit;" \
              "total|whole run (wall)|0|WALL", rows, ";")
    runs = 0
}
$1 == "nix-build-shell[phases]" {
    tag = ($2 == "launcher") ? "L." : "I."
    for (i = 3; i <= NF; i++) {
        split($i, kv, "=")
        mark[tag kv[1]] = kv[2]
    }
    next
}
$1 == "wall" {
    mark["WALL"] = $2
    mark["0"] = 0
    runs++
    for (r = 1; r <= n; r++) {
        split(rows[r], f, "|")
        if ((f[3] in mark) && (f[4] in mark)) {
            d[r, runs] = mark[f[4]] - mark[f[3]]
            e[r, runs] = mark[f[4]]
            have[r, runs] = 1
        }
    }
    delete mark
}
function median(arr, r,    vals, k, m, i, j, t) {
    m = 0
    for (k = 1; k <= runs; k++) if (have[r, k]) vals[++m] = arr[r, k]
    if (m == 0) return "";
    for (i = 2; i <= m; i++) { t = vals[i]; for (j = i - 1; j >= 1 && vals[j] > t; j--) vals[j + 1] = vals[j]; vals[j + 1] = t }
    return (m % 2) ? vals[(m + 1) / 2] : (vals[m / 2] + vals[m / 2 + 1]) / 2
}
END {
    print "| JVM | phase | median ms | ends at (median ms since start) |"
    print "|---|---|---|---|"
    for (r = 1; r <= n; r++) {
        split(rows[r], f, "|")
        md = median(d, r); me = median(e, r)
        if (md == "") continue
        printf "| %s | %s | %.1f | %.1f |\n", f[1], f[2], md, me
    }
}
