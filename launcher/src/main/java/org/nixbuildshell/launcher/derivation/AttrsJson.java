package org.nixbuildshell.launcher.derivation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a kept structured-attrs build's {@code .attrs.json} tells about its
 * derivation: the name, and the outputs with their paths (which Nix writes
 * there), enough to pick the derivation among several of that name.
 */
public record AttrsJson(String name, Map<String, String> outputs) {

    /** @throws IllegalArgumentException when the text is not a JSON object */
    public static AttrsJson parse(String text) {
        Map<String, Object> attrs = Json.parseObject(text);
        Map<String, String> outputs = new LinkedHashMap<>();
        if (attrs.get("outputs") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof String path) {
                    outputs.put((String) k, path);
                }
            });
        }
        return new AttrsJson(attrs.get("name") instanceof String s ? s : null, outputs);
    }
}
