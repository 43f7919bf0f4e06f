package org.nixbuildshell.launcher.origin;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.builddir.EnvVars;
import org.nixbuildshell.launcher.derivation.AttrsJson;

/**
 * The output paths a build had, which name its derivation whatever its
 * directory is called: from a readable {@code .attrs.json} (structured
 * attrs), else from env-vars ({@code $outputs} lists the names, each output's
 * variable holds its path).
 */
public final class BuildOutputs {
    private static final String STORE = "/nix/store/";

    private BuildOutputs() {}

    /** @param kept the kept directory, or null; the result is empty when nothing names an output */
    public static Map<String, String> of(EnvVars env, BuildDir kept) {
        if (kept != null && Files.isReadable(kept.attrsJson())) {
            try {
                Map<String, String> outputs = AttrsJson.parse(Files.readString(kept.attrsJson())).outputs();
                if (!outputs.isEmpty()) {
                    return outputs;
                }
            } catch (IOException | IllegalArgumentException e) {
                // fall back to env-vars
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        String names = env.get("outputs");
        for (String name : (names == null || names.isBlank() ? "out" : names.strip()).split("\\s+")) {
            String path = env.get(name);
            if (path != null && path.startsWith(STORE) && path.indexOf('/', STORE.length()) < 0) {
                outputs.put(name, path);
            }
        }
        return outputs;
    }
}
