package org.nixbuildshell.launcher.cli;

import picocli.CommandLine.IVersionProvider;

/** --version: ours from the jar manifest, and the Java we run on. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String ours = Version.class.getPackage().getImplementationVersion();
        return new String[] {
            "nix-build-shell " + (ours == null ? "(development build)" : ours),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
