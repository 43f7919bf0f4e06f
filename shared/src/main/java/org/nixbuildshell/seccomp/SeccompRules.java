package org.nixbuildshell.seccomp;

import java.util.List;

/**
 * A named set of seccomp rules, as data: a profile row chooses one, the launcher sends it in the plan,
 * and whoever starts a command compiles it ({@link SeccompCompiler}). Calls no rule names are allowed.
 *
 * @param name  for logs and the README's table, e.g. "nix-2.35"
 * @param rules in order; the first rule that names a call decides it
 */
public record SeccompRules(String name, List<SeccompRule> rules) {
    private static final int S_ISUID_OR_S_ISGID = 06000;

    public SeccompRules {
        rules = List.copyOf(rules);
    }

    /** Nix's rules since the sandbox has had seccomp: no setuid/setgid files, no setting of xattrs (ACLs). */
    public static final SeccompRules NIX_2_8 = new SeccompRules("nix-2.8", List.of(
            SeccompRule.denyModeBits(S_ISUID_OR_S_ISGID, SeccompRule.EPERM, "chmod", "fchmod", "fchmodat", "fchmodat2"),
            SeccompRule.deny(SeccompRule.ENOTSUP, "setxattr", "lsetxattr", "fsetxattr")));

    /** This set plus {@code more}, under another name. */
    public SeccompRules plus(String newName, SeccompRule... more) {
        List<SeccompRule> all = new java.util.ArrayList<>(rules);
        all.addAll(List.of(more));
        return new SeccompRules(newName, all);
    }
}
