package org.nixbuildshell.launcher.buildspec;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Store paths as the closure query wants them: the top-level path of each (…/bin/bash → its store path). */
final class Inputs {
    private static final String STORE = "/nix/store/";

    private Inputs() {}

    static Set<String> roots(Collection<String> paths) {
        Set<String> roots = new LinkedHashSet<>();
        for (String path : paths) {
            int slash = path.indexOf('/', STORE.length());
            roots.add(slash < 0 ? path : path.substring(0, slash));
        }
        return roots;
    }
}
