package org.nixbuildshell.launcher.derivation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A store derivation ({@code /nix/store/…-NAME.drv}) as Nix writes it: what
 * the builder is run with. Read by {@link DerivationParser}.
 *
 * @param outputs   output name → store path ("" for content-addressed outputs not yet known)
 * @param inputDrvs derivation path → the outputs of it this one uses
 * @param inputSrcs store paths used as they are (sources, the builder script…)
 * @param system    e.g. {@code x86_64-linux}
 * @param builder   the program Nix runs
 * @param args      its arguments
 * @param env       the derivation's variables, in file order (sorted by name, as Nix writes them)
 */
public record Derivation(Map<String, String> outputs, Map<String, Set<String>> inputDrvs, List<String> inputSrcs,
                         String system, String builder, List<String> args, Map<String, String> env) {

    /** With {@code __structuredAttrs = true} the attributes live in one JSON string, {@code __json}. */
    public boolean structuredAttrs() {
        return env.containsKey("__json");
    }

    /** The {@code name} attribute, also in the structured-attrs JSON. */
    public String name() {
        String name = env.get("name");
        if (name == null && structuredAttrs()) {
            Object fromJson = Json.parseObject(env.get("__json")).get("name");
            name = fromJson instanceof String s ? s : null;
        }
        return name;
    }

    /** A fixed-output derivation (a fetcher): Nix gives it the network. */
    public boolean fixedOutput() {
        if (structuredAttrs()) {
            return Json.parseObject(env.get("__json")).containsKey("outputHash");
        }
        return env.containsKey("outputHash");
    }
}
