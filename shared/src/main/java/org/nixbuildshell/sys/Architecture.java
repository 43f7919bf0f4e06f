package org.nixbuildshell.sys;

/**
 * The one architecture the tool runs on. {@link Linux} holds x86_64's system
 * call numbers and the build ships only the x86-64 jnidispatch: on any other
 * machine the same numbers name other system calls, so both JVMs refuse to
 * start instead of calling them.
 */
public final class Architecture {
    /** Exit status on any other architecture (documented in the launcher's help and the README). */
    public static final int UNSUPPORTED_STATUS = 110;

    private Architecture() {}

    /** Null when {@code osArch} (Java's os.arch) is x86_64, else the one line that says why the tool cannot run. */
    public static String refusal(String osArch) {
        if ("amd64".equals(osArch) || "x86_64".equals(osArch)) {
            return null;
        }
        return "this machine is " + osArch + ", but nix-build-shell runs only on x86_64 Linux"
                + " (it makes x86_64 system calls)";
    }

    /** Exit with {@link #UNSUPPORTED_STATUS} and one line on stderr unless this JVM runs on x86_64. */
    public static void requireSupported() {
        String refusal = refusal(System.getProperty("os.arch"));
        if (refusal != null) {
            System.err.println("nix-build-shell: error: " + refusal);
            System.exit(UNSUPPORTED_STATUS);
        }
    }
}
