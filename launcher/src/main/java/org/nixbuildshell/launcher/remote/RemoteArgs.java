package org.nixbuildshell.launcher.remote;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nixbuildshell.launcher.cli.NixBuildShellCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line of a remote run, read before anything local happens: the
 * builder ({@code ssh://...} as TARGET, or {@code --on HOST}) and the
 * arguments the builder's nix-build-shell gets, which are ours as given but
 * for the remote part (TARGET becomes the builder's PATH, {@code --on HOST}
 * goes). Options are forwarded without being interpreted here, so an option
 * this launcher does not know still reaches the builder.
 */
public record RemoteArgs(String builder, RemoteTarget target, List<String> forwarded, int verbosity) {

    /** Cheap test for the common, local command line: no ssh URI and no --on at all. */
    static boolean mayBeRemote(String[] args) {
        for (String a : args) {
            if (a.equals("--on") || a.startsWith("--on=") || RemoteTarget.stripScheme(a) != null) {
                return true;
            }
        }
        return false;
    }

    /** The remote run {@code args} ask for, or null for a local one. */
    public static RemoteArgs parse(String[] args) {
        if (!mayBeRemote(args)) {
            return null;
        }
        CommandSpec spec = CommandSpec.forAnnotatedObject(new NixBuildShellCommand());
        List<String> forwarded = new ArrayList<>(Arrays.asList(args));
        String on = null;
        int verbosity = 0;
        int i = 0;
        // options stop at TARGET (or after --), as in the local command line
        while (i < forwarded.size()) {
            String a = forwarded.get(i);
            if (a.equals("--") || !a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.equals("--on") || a.startsWith("--on=")) {
                if (a.equals("--on") && i + 1 >= forwarded.size()) {
                    throw new IllegalArgumentException("--on needs a HOST: a builder of Nix's builders list or an ssh destination");
                }
                on = a.equals("--on") ? forwarded.remove(i + 1) : a.substring("--on=".length());
                forwarded.remove(i);
                continue;
            }
            verbosity += verbosity(a);
            i += takesParameter(spec, a) ? 2 : 1;
        }
        int targetIndex = i < forwarded.size() && forwarded.get(i).equals("--") ? i + 1 : i;
        RemoteTarget target = targetIndex < forwarded.size() ? RemoteTarget.parse(forwarded.get(targetIndex)) : null;
        if (target != null && on != null) {
            throw new IllegalArgumentException("give the builder once: either ssh://HOST/PATH or --on HOST with a PATH");
        }
        if (target == null && on == null) {
            return null; // ssh:// somewhere in the COMMAND: a local run
        }
        if (target != null) {
            forwarded.set(targetIndex, target.path());
        }
        return new RemoteArgs(on, target, List.copyOf(forwarded), verbosity);
    }

    /**
     * The kept build's path on the builder, which the probe checks; null with --on, where what
     * follows the options need not be a path (--last COMMAND): the builder's run judges it.
     */
    String keptPath() {
        return target == null ? null : target.path();
    }

    /** True when option {@code a} takes its value from the next argument. */
    private static boolean takesParameter(CommandSpec spec, String a) {
        if (a.startsWith("--")) {
            OptionSpec option = a.contains("=") ? null : spec.findOption(a);
            return option != null && option.arity().min() > 0;
        }
        // a cluster of short options, e.g. -vA ATTR; the first that takes a value takes the rest, or the next argument
        for (int k = 1; k < a.length(); k++) {
            OptionSpec option = spec.findOption(a.charAt(k));
            if (option != null && option.arity().min() > 0) {
                return k == a.length() - 1;
            }
        }
        return false;
    }

    private static int verbosity(String a) {
        if (a.equals("--verbose")) {
            return 1;
        }
        return a.matches("-v+") ? a.length() - 1 : 0;
    }
}
