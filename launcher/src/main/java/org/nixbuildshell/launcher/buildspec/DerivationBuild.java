package org.nixbuildshell.launcher.buildspec;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.derivation.BuilderEnvironment;
import org.nixbuildshell.launcher.derivation.Derivation;
import org.nixbuildshell.launcher.derivation.DerivationInputs;
import org.nixbuildshell.launcher.derivation.ExportText;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * A derivation as the target: the sandbox its builder would get, before any
 * build ran. /build is empty but for what Nix writes there (the structured
 * attrs, passAsFile files) and env-vars, which holds the builder's environment
 * as stdenv's dumpVars would write it; the inputs are the derivation's.
 */
public final class DerivationBuild {
    private DerivationBuild() {}

    public static boolean looksLikeOne(String target) {
        return target.endsWith(".drv");
    }

    public static BuildSpec spec(String given, Path drvPath) {
        Derivation drv = read(drvPath);
        DerivationInputs inputs = DerivationInputs.of(drv);
        if (!inputs.missing().isEmpty()) {
            throw new ToolError(ExitCodes.INPUTS_MISSING, drvPath + " needs outputs that are not in the store: "
                    + String.join(", ", inputs.missing()),
                    "build them first: nix-store --realise " + String.join(" ", inputs.missing()));
        }
        Environment environment = environment(drv, null);
        Set<String> roots = new LinkedHashSet<>(inputs.roots());
        return new BuildSpec.Fresh(given, drv.name(), environment.env(), shellOf(drv, environment.env(), drvPath),
                environment.files(), roots);
    }

    /** The builder's environment, as env-vars text and the files Nix writes into /build. */
    record Environment(EnvVars env, Map<String, String> files) {}

    /** @param pwd where the failed phase ran, when known better than Nix's initial /build; or null */
    static Environment environment(Derivation drv, String pwd) {
        BuilderEnvironment builder = BuilderEnvironment.of(drv, Runtime.getRuntime().availableProcessors());
        Map<String, String> variables = new LinkedHashMap<>(builder.variables());
        if (pwd != null) {
            variables.put("PWD", pwd);
        }
        String text = ExportText.of(variables);
        Map<String, String> files = new LinkedHashMap<>(builder.files());
        files.put(BuildDir.ENV_VARS, text);
        EnvVars env = EnvVars.parse(text);
        String attrsSh = files.get(".attrs.sh");
        // with structured attrs, stdenv, src and the lists are only there, as for a kept build
        return new Environment(attrsSh == null ? env : env.with(EnvVars.parse(attrsSh)), files);
    }

    static Derivation read(Path drvPath) {
        if (!Files.isRegularFile(drvPath)) {
            throw new ToolError(ExitCodes.NO_BUILD_DIR, drvPath + " is not a derivation in the store",
                    "name a store derivation (nix-instantiate prints it), or a .nix file");
        }
        try {
            return DerivationInputs.read(drvPath);
        } catch (UncheckedIOException e) {
            throw new ToolError(ExitCodes.NO_ENV_VARS, "cannot read " + drvPath + ": " + e.getCause().getMessage(),
                    "store derivations are readable by everyone; is the store intact?");
        } catch (IllegalArgumentException e) {
            throw new ToolError(ExitCodes.BAD_ENV_VARS, drvPath + ": " + e.getMessage(),
                    "name a store derivation (a .drv file Nix wrote)");
        }
    }

    /** The derivation's SHELL when it names one in the store, else its builder when that is a bash. */
    static String shellOf(Derivation drv, EnvVars env, Path drvPath) {
        String shell = env.get("SHELL");
        if (shell != null && shell.startsWith("/nix/store/") && Files.isRegularFile(Path.of(shell))) {
            return shell;
        }
        String builder = drv.builder();
        String base = builder.substring(builder.lastIndexOf('/') + 1);
        if (builder.startsWith("/nix/store/") && (base.equals("bash") || base.equals("sh"))
                && Files.isRegularFile(Path.of(builder))) {
            return builder;
        }
        throw new ToolError(ExitCodes.NO_SHELL, drvPath + " names no bash: its builder is " + builder
                + " and it sets no SHELL", "the shell inside must be a bash from the store; add SHELL to the derivation");
    }
}
