package org.nixbuildshell.it;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The deliberate differences between the real Nix sandbox and ours, as
 * rewrite rules on the probe's output lines. Each rule says why; the README's
 * "How close to Nix" section lists the same. Anything not covered here must
 * match line for line.
 */
final class NixConformance {

    /** One documented difference: lines it applies to, and how both sides are normalised. */
    record Difference(String why, Pattern lines, UnaryOperator<String> normalise) {}

    static final List<Difference> DIFFERENCES = List.of(
        new Difference("the id maps name the caller's uid/gid on the outside, not the Nix build user's",
            Pattern.compile("^(uid|gid)_map: "), l -> l.replaceFirst("^((?:uid|gid)_map: \\d+) \\d+ 1$", "$1 OUTSIDE 1")),
        new Difference("an unprivileged caller cannot drop its supplementary groups; they show as the overflow gid 65534",
            Pattern.compile("^id\\.groups: "), l -> l.replace(" 65534", "")),
        new Difference("owners: Nix's daemon creates the skeleton as root (nobody inside); an unprivileged process "
                + "can only create files it owns (nixbld inside)",
            Pattern.compile("^(root\\.)?stat: "), l -> l.replaceAll(" [a-z]+:[a-z]+( fs=|$)", "$1")),
        new Difference("/bin/sh is provided (bind of SHELL), as Nix does on NixOS (sandbox-paths); Debian's Nix has none",
            Pattern.compile("(/bin|^bin\\.|^stat\\.bin_sh|^root\\.ls: )"), l -> l.startsWith("root.ls: ") ? l.replace(" bin ", " ") : null),
        new Difference("/dev/ptmx is the host's device (with the host's /dev/pts, so the terminal works), not a "
                + "symlink into a new devpts instance",
            Pattern.compile("^dev: ptmx,"), l -> "dev: ptmx"),
        new Difference("/, /etc and input store paths are read-only mounts (Nix relies on ownership, which cannot "
                + "protect them from a mapped root): writes fail with EROFS instead of EACCES",
            Pattern.compile("^write\\..*: denied "), l -> l.replaceFirst("denied .*", "denied")),
        new Difference("mounts: / , the devices, /dev/pts and the inputs are read-only binds (Nix's are read-write; "
                + "ConformanceIT checks ours are ro); /tmp is a bind of the sandbox's own directory; single-file "
                + "inputs are bound, not copied. File system types and the other flags must match",
            Pattern.compile("^mount: "), NixConformance::mount),
        // Known gaps until issue 9's personality and pivot_root changes land; remove these two then.
        new Difference("not yet (issue 9): Nix sets the personality ADDR_NO_RANDOMIZE; we leave it as it is",
            Pattern.compile("^personality: "), l -> null),
        new Difference("not yet (issue 9): Nix enters its root by pivot_root, so unshare -U works inside; "
                + "under our chroot the kernel says EPERM",
            Pattern.compile("^userns\\.unshare: "), l -> null));

    private NixConformance() {}

    /**
     * A mount line ("mount: POINT FSTYPE FLAGS") as it is, except: the mounts
     * that exist only in our design are dropped, and the ones that are
     * read-only only in our design compare with Nix's ro/rw flag.
     */
    private static String mount(String line) {
        String[] f = line.split(" ", 4);
        String point = f[1];
        if (point.equals("/bin/sh") || point.equals("/tmp") || point.equals("/dev/ptmx") || point.endsWith(".sh")) {
            return null;
        }
        if (f.length == 4 && readOnlyHere(point)) {
            return "mount: " + point + " " + f[2] + " " + f[3].replaceFirst("^ro\\b", "rw");
        }
        return line;
    }

    /** The mounts made read-only on purpose: /, the device nodes, /dev/pts and the input store paths. */
    static boolean readOnlyHere(String point) {
        return point.equals("/") || (point.startsWith("/dev/") && !point.equals("/dev/shm"))
                || point.startsWith("/nix/store/");
    }

    /** The output with every documented difference applied; null results drop the line. */
    static List<String> normalise(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String l = line;
            for (Difference d : DIFFERENCES) {
                if (l != null && d.lines().matcher(l).find()) {
                    l = d.normalise().apply(l);
                }
            }
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }
}
