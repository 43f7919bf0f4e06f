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
        new Difference("the number of processes: init is PID 1 (Nix's builder is), and the shell that sources env-vars "
                + "may run the command as its child rather than exec it",
            Pattern.compile("^proc\\.count: "), l -> null),
        new Difference("/dev/ptmx is the host's device (with the host's /dev/pts, so the terminal works), not a "
                + "symlink into a new devpts instance",
            Pattern.compile("^dev: ptmx,"), l -> "dev: ptmx"),
        new Difference("/, /etc and input store paths are read-only mounts (Nix relies on ownership, which cannot "
                + "protect them from a mapped root): writes fail with EROFS instead of EACCES",
            Pattern.compile("^write\\..*: denied "), l -> l.replaceFirst("denied .*", "denied")),
        new Difference("mounts: / , the devices, /dev/pts, /bin/sh, the inputs and /etc's host files are read-only binds (Nix's are "
                + "read-write; ConformanceIT checks ours are ro); /tmp is a bind of the sandbox's own directory. "
                + "File system types and the other flags must match",
            Pattern.compile("^mount: "), NixConformance::mount));

    /** Nix 2.8 only: Debian's binds no /bin/sh; we bind the build's SHELL, and it copies single-file inputs. */
    static final List<Difference> NIX_2_8 = List.of(
        new Difference("/bin/sh is provided (bind of SHELL), as Nix does on NixOS (sandbox-paths); Debian's Nix 2.8 "
                + "has none",
            Pattern.compile("(/bin|^bin\\.|^stat\\.bin_sh|^root\\.ls: )"),
            l -> l.startsWith("root.ls: ") ? l.replace(" bin ", " ") : null),
        new Difference("single-file inputs: Nix 2.8 copies them into the chroot, we bind them",
            Pattern.compile("^mount: \\S+\\.sh "), l -> null));

    /**
     * The fixtures of Nix 2.26 and 2.34 were built in a container (bwrap), which binds everything nosuid and
     * all but devices nodev: the Nix inside inherits those locked flags. Not Nix's doing, so not compared.
     */
    static final List<Difference> CONTAINER = List.of(
        new Difference("the fixture's container mounted its tree nosuid,nodev",
            Pattern.compile("^mount: "), l -> l.replace(",nosuid", "").replace(",nodev", "")));

    /**
     * A fixed-output derivation: the host's network and the host's resolver files, which change with the
     * host and over time (the fixture's Nix ran in a container with no /etc/hosts, services or CA file).
     */
    static final List<Difference> FIXED_OUTPUT = List.of(
        new Difference("the host's interfaces: their link-local addresses and the test hosts' interfaces come and go;"
                + " ConformanceIT checks both sandboxes have more than lo",
            Pattern.compile("^net\\.if: "), l -> l.startsWith("net.if: lo ") ? l : null),
        new Difference("/etc/hosts, /etc/services and the CA certificates are the host's where it has them",
            Pattern.compile("^(etc\\.ls: (hosts|services|ssl)$|etc\\.hosts: |mount: /etc/(hosts|services|ssl/))"), l -> null),
        new Difference("the fixture's fetch had no sha256sum in its tools; the tool's run has the same store path",
            Pattern.compile("^tool\\.sha256sum: "), l -> null));

    private NixConformance() {}

    /**
     * A mount line ("mount: POINT FSTYPE FLAGS") as it is, except: the mounts
     * that exist only in our design are dropped, and the ones that are
     * read-only only in our design compare with Nix's ro/rw flag.
     */
    private static String mount(String line) {
        String[] f = line.split(" ", 4);
        String point = f[1];
        if (point.equals("/tmp") || point.equals("/dev/ptmx")) {
            return null;
        }
        if (f.length == 4 && readOnlyHere(point)) {
            return "mount: " + point + " " + f[2] + " " + f[3].replaceFirst("^ro\\b", "rw");
        }
        return line;
    }

    /**
     * The mounts made read-only on purpose: /, /bin/sh, the device nodes, /dev/pts, the input store paths
     * and the host's files in /etc (a fixed-output derivation's resolver).
     */
    static boolean readOnlyHere(String point) {
        return point.equals("/") || point.equals("/bin/sh") || (point.startsWith("/dev/") && !point.equals("/dev/shm"))
                || point.startsWith("/nix/store/") || point.startsWith("/etc/");
    }

    /** The differences for the fixture of this Nix version ("2.8", "2.26", "2.34"). */
    static List<Difference> forVersion(String version) {
        List<Difference> all = new ArrayList<>(version.equals("2.8") ? NIX_2_8 : CONTAINER);
        if (version.endsWith("-fod")) {
            all.addAll(FIXED_OUTPUT);
        }
        all.addAll(DIFFERENCES);
        return all;
    }

    /** The output of Nix 2.8's fixture with every documented difference applied. */
    static List<String> normalise(List<String> lines) {
        return normalise(lines, forVersion("2.8"));
    }

    /** The output with these differences applied; null results drop the line. */
    static List<String> normalise(List<String> lines, List<Difference> differences) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String l = line;
            for (Difference d : differences) {
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
