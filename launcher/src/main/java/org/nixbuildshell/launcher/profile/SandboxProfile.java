package org.nixbuildshell.launcher.profile;

import java.util.List;
import org.nixbuildshell.plan.ProcessSettings;
import org.nixbuildshell.seccomp.SeccompRules;

/**
 * What the sandbox of one range of Nix versions looks like (docs/ARCHITECTURE.md, "Profiles"). Data,
 * not behaviour: the planner turns it into setup operations and the command's process settings. A
 * new Nix version is a new row in {@link NixProfiles}, built from the row before it with only what
 * changed ({@link #derive}).
 *
 * @param name         the version that names the profile, e.g. "2.26"
 * @param since        the first Nix version it describes, e.g. "2.15"
 * @param measured     whether the sandbox was measured with real builds here, else read from Nix's source
 * @param rootMode     mode of {@code /}
 * @param etcMode      mode of {@code /etc}: 0555 from Nix 2.15, 0755 before
 * @param sandboxShell the {@code /bin/sh} this build of Nix binds when nix.conf's sandbox-paths names none
 *                     (Debian's 2.26 and 2.34: /usr/bin/bash-static), or null for none
 * @param devices      the host devices Nix binds into {@code /dev}, when the host has them
 * @param umask        the builder's umask
 * @param coreLimit    RLIMIT_CORE for the builder
 * @param personality  personality(2) flags set for every build (ADDR_NO_RANDOMIZE)
 * @param noNewPrivs   PR_SET_NO_NEW_PRIVS for the builder
 * @param seccomp      the seccomp rule set
 * @param landlockFrom Landlock's abstract-unix-socket scope: the first patch release of each series that
 *                     sets it (a backport), e.g. "2.34.5"; a version at or after the last entry's series
 *                     has it from that entry on; empty: none in this range
 */
public record SandboxProfile(String name, String since, boolean measured, int rootMode, int etcMode,
                             String sandboxShell, List<String> devices, int umask, long coreLimit, int personality,
                             boolean noNewPrivs, SeccompRules seccomp, List<String> landlockFrom) {

    public SandboxProfile {
        devices = List.copyOf(devices);
        landlockFrom = List.copyOf(landlockFrom);
    }

    /** The process settings of a build by Nix {@code version} (inside this profile's range) for {@code system}. */
    public ProcessSettings settings(NixVersion version, String system) {
        int persona = personality | ("i686-linux".equals(system) ? ProcessSettings.PER_LINUX32 : 0);
        long landlock = hasLandlock(version) ? ProcessSettings.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET : 0;
        return new ProcessSettings(umask, coreLimit, persona, noNewPrivs, seccomp, landlock, true);
    }

    /** Whether {@code version} sets the Landlock scope: at or after its series' backport, or a later series. */
    boolean hasLandlock(NixVersion version) {
        for (String entry : landlockFrom) {
            NixVersion from = NixVersion.of(entry);
            boolean sameSeries = from.major() == version.major() && from.minor() == version.minor();
            if (sameSeries && version.compareTo(from) >= 0) {
                return true;
            }
        }
        if (landlockFrom.isEmpty()) {
            return false;
        }
        NixVersion last = NixVersion.of(landlockFrom.get(landlockFrom.size() - 1));
        return version.major() > last.major() || version.major() == last.major() && version.minor() > last.minor();
    }

    /** A new row from this one: a new name and first version, then only what differs. */
    public Builder derive(String newName, String newSince) {
        return new Builder(this, newName, newSince);
    }

    /** Named changes to a row, so that a row says only what its Nix changed. */
    public static final class Builder {
        private final String name;
        private final String since;
        private boolean measured;
        private int etcMode;
        private String sandboxShell;
        private List<String> devices;
        private SeccompRules seccomp;
        private List<String> landlockFrom;
        private final SandboxProfile base;

        private Builder(SandboxProfile base, String name, String since) {
            this.base = base;
            this.name = name;
            this.since = since;
            this.measured = base.measured;
            this.etcMode = base.etcMode;
            this.sandboxShell = base.sandboxShell;
            this.devices = base.devices;
            this.seccomp = base.seccomp;
            this.landlockFrom = base.landlockFrom;
        }

        public Builder readFromSource() {
            measured = false;
            return this;
        }

        public Builder etcMode(int mode) {
            etcMode = mode;
            return this;
        }

        public Builder sandboxShell(String path) {
            sandboxShell = path;
            return this;
        }

        public Builder devices(List<String> names) {
            devices = names;
            return this;
        }

        public Builder seccomp(SeccompRules rules) {
            seccomp = rules;
            return this;
        }

        public Builder landlockFrom(String... versions) {
            landlockFrom = List.of(versions);
            return this;
        }

        public SandboxProfile build() {
            return new SandboxProfile(name, since, measured, base.rootMode, etcMode, sandboxShell, devices, base.umask,
                    base.coreLimit, base.personality, base.noNewPrivs, seccomp, landlockFrom);
        }
    }
}
