package org.nixbuildshell.launcher.derivation;

import java.util.Map;
import java.util.TreeMap;

/**
 * An environment as bash's {@code export} prints it ({@code declare -x
 * NAME="VALUE"}, sorted, with {@code " \ $ `} escaped), the form of the
 * env-vars file that stdenv's dumpVars writes. Used when the environment comes
 * from a derivation, so that the rest of the sandbox reads it as it reads a
 * kept build's env-vars.
 */
public final class ExportText {
    private ExportText() {}

    public static String of(Map<String, String> variables) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(variables).forEach((name, value) -> {
            s.append("declare -x ").append(name).append("=\"");
            for (char c : value.toCharArray()) {
                if (c == '"' || c == '\\' || c == '$' || c == '`') {
                    s.append('\\');
                }
                s.append(c);
            }
            s.append("\"\n");
        });
        return s.toString();
    }
}
