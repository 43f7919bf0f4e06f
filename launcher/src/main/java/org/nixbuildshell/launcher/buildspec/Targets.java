package org.nixbuildshell.launcher.buildspec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.launcher.builddir.BuildDirLocator;
import org.nixbuildshell.launcher.cancel.Cancellation;
import org.nixbuildshell.launcher.store.NixCommand;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user named, made into a {@link BuildSpec}: a kept build directory
 * (the usual case), a store derivation ({@code …​.drv}), or a {@code .nix} file
 * (with {@code -A ATTR}), which {@code nix-instantiate} turns into one.
 */
public final class Targets {
    private static final Logger log = LoggerFactory.getLogger(Targets.class);
    /** Evaluating nixpkgs takes seconds to a minute; an evaluation that takes this long is stuck. */
    private static final int INSTANTIATE_DEADLINE_SECONDS = 600;

    private Targets() {}

    /**
     * @param attr the attribute of a .nix file (-A), or null
     * @param drv  the derivation of a kept directory (--drv), or null
     */
    public static BuildSpec resolve(Path target, String attr, Path drv, Cancellation cancellation) {
        String name = target.toString();
        if (DerivationBuild.looksLikeOne(name) && !Files.isDirectory(target)) {
            log.info("target: the derivation {}", target);
            return DerivationBuild.spec(name, absolute(target));
        }
        if (name.endsWith(".nix") && Files.isRegularFile(target)) {
            Path instantiated = instantiate(target, attr, cancellation);
            log.info("target: {}{} is {}", target, attr == null ? "" : " -A " + attr, instantiated);
            return DerivationBuild.spec(name, instantiated);
        }
        if (attr != null) {
            throw new ToolError(ExitCodes.USAGE, "-A " + attr + " goes with a .nix file, and " + target + " is none",
                    "e.g. nix-build-shell ./default.nix -A hello");
        }
        return KeptBuild.spec(BuildDirLocator.locate(target, drv != null), drv == null ? null : absolute(drv), cancellation);
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** nix-instantiate FILE [-A ATTR]: the derivation's store path (Nix may add "!out"). */
    static Path instantiate(Path file, String attr, Cancellation cancellation) {
        List<String> args = new ArrayList<>(List.of(absolute(file).toString()));
        if (attr != null) {
            args.addAll(List.of("-A", attr));
        }
        NixCommand.Result r = NixCommand.run("nix-instantiate", args, INSTANTIATE_DEADLINE_SECONDS, cancellation);
        if (!r.ok()) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, "cannot evaluate " + file + ": " + r.failure(),
                    "check that nix-instantiate " + String.join(" ", args) + " prints a derivation");
        }
        List<String> drvs = r.stdout().lines().map(l -> l.replaceFirst("!.*$", "")).filter(l -> l.endsWith(".drv")).toList();
        if (drvs.size() != 1) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, file + (attr == null ? "" : " -A " + attr) + " gives "
                    + drvs.size() + " derivations, not one", "choose one with -A ATTR");
        }
        return Path.of(drvs.get(0));
    }
}
