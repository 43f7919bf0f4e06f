package org.nixbuildshell.launcher.remote;

/**
 * {@code ssh://[USER@]HOST[:PORT]/PATH}: a kept build on another machine. The
 * path is the builder's (absolute); {@code ssh-ng://}, Nix's other scheme for
 * builders, names the same kind of machine.
 */
public record RemoteTarget(Destination destination, String path) {

    /** The target, or null when {@code arg} is not an ssh URI. */
    public static RemoteTarget parse(String arg) {
        String rest = stripScheme(arg);
        if (rest == null) {
            return null;
        }
        int slash = rest.indexOf('/', rest.startsWith("[") ? rest.indexOf(']') + 1 : 0);
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(arg + ": the form is ssh://[USER@]HOST[:PORT]/PATH, "
                    + "with the kept build's absolute path on the builder, e.g. ssh://builder/tmp/nix-build-hello.drv-0");
        }
        return new RemoteTarget(Destination.parse(rest.substring(0, slash)), rest.substring(slash));
    }

    /** What follows ssh:// or ssh-ng://, or null for anything else. */
    static String stripScheme(String arg) {
        for (String scheme : new String[] {"ssh://", "ssh-ng://"}) {
            if (arg.startsWith(scheme)) {
                return arg.substring(scheme.length());
            }
        }
        return null;
    }
}
