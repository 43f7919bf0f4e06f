package org.nixbuildshell.launcher.derivation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Nix mounts into a derivation's sandbox: its input sources and the
 * outputs it uses of its input derivations (their closure is asked of the
 * store later, as for a kept build). An input output that is not in the store
 * has not been built: the sandbox cannot be made until it is.
 *
 * @param roots   the store paths whose closure the sandbox gets
 * @param missing outputs of input derivations that are not in the store, as {@code DRV^OUTPUT}
 */
public record DerivationInputs(List<String> roots, List<String> missing) {

    public static DerivationInputs of(Derivation drv) {
        Set<String> roots = new LinkedHashSet<>(drv.inputSrcs());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Set<String>> input : drv.inputDrvs().entrySet()) {
            if (!Files.isRegularFile(Path.of(input.getKey()))) {
                // collected since: nothing says where its outputs would be
                input.getValue().forEach(output -> missing.add(input.getKey() + "^" + output));
                continue;
            }
            Map<String, String> outputs = read(Path.of(input.getKey())).outputs();
            for (String output : input.getValue()) {
                String path = outputs.get(output);
                if (path == null || path.isEmpty() || !Files.exists(Path.of(path))) {
                    missing.add(input.getKey() + "^" + output);
                } else {
                    roots.add(path);
                }
            }
        }
        return new DerivationInputs(List.copyOf(roots), List.copyOf(missing));
    }

    /** Read and parse a {@code .drv} file. */
    public static Derivation read(Path drvFile) {
        try {
            return DerivationParser.parse(Files.readString(drvFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
