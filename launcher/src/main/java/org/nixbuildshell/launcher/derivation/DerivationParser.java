package org.nixbuildshell.launcher.derivation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Nix's ATerm form of a derivation:
 * <pre>
 * Derive([("out","/nix/store/…-x","","")],            outputs: name, path, hash algo, hash
 *        [("/nix/store/…-dep.drv",["out"])],           input derivations and the outputs used
 *        ["/nix/store/…-src"],                         input sources
 *        "x86_64-linux","/nix/store/…-bash/bin/bash",  system, builder
 *        ["-e","…"],                                   args
 *        [("name","x"),…])                             environment
 * </pre>
 * Strings escape {@code " \\ \n \r \t} with a backslash. The newer
 * {@code DrvWithVersion(…)} form (dynamic derivations) is refused with a
 * message; Nix writes it only for experimental features.
 */
public final class DerivationParser {
    private final String text;
    private int pos;

    private DerivationParser(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the offset and what was expected */
    public static Derivation parse(String text) {
        DerivationParser p = new DerivationParser(text);
        if (text.startsWith("DrvWithVersion(")) {
            throw new IllegalArgumentException("a derivation in the experimental DrvWithVersion format is not supported");
        }
        p.expect("Derive(");
        Map<String, String> outputs = new LinkedHashMap<>();
        p.list(() -> {
            p.expect("(");
            String name = p.string();
            p.expect(",");
            String path = p.string();
            p.expect(",");
            p.string(); // hash algorithm, for fixed outputs
            p.expect(",");
            p.string(); // hash
            p.expect(")");
            outputs.put(name, path);
        });
        p.expect(",");
        Map<String, Set<String>> inputDrvs = new LinkedHashMap<>();
        p.list(() -> {
            p.expect("(");
            String drv = p.string();
            p.expect(",");
            Set<String> used = new LinkedHashSet<>();
            p.list(() -> used.add(p.string()));
            p.expect(")");
            inputDrvs.put(drv, used);
        });
        p.expect(",");
        List<String> inputSrcs = new ArrayList<>();
        p.list(() -> inputSrcs.add(p.string()));
        p.expect(",");
        String system = p.string();
        p.expect(",");
        String builder = p.string();
        p.expect(",");
        List<String> args = new ArrayList<>();
        p.list(() -> args.add(p.string()));
        p.expect(",");
        Map<String, String> env = new LinkedHashMap<>();
        p.list(() -> {
            p.expect("(");
            String name = p.string();
            p.expect(",");
            env.put(name, p.string());
            p.expect(")");
        });
        p.expect(")");
        if (p.pos != text.length() && !text.substring(p.pos).isBlank()) {
            throw p.error("end of the derivation");
        }
        return new Derivation(outputs, inputDrvs, List.copyOf(inputSrcs), system, builder, List.copyOf(args), env);
    }

    /** {@code [item,item,…]}, calling {@code item} for each element. */
    private void list(Runnable item) {
        expect("[");
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            item.run();
            char c = next("',' or ']'");
            if (c == ']') {
                return;
            }
            if (c != ',') {
                pos--;
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        expect("\"");
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = next("the end of a string");
            if (c == '"') {
                return s.toString();
            }
            if (c == '\\') {
                char e = next("an escaped character");
                s.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                s.append(c);
            }
        }
    }

    private void expect(String token) {
        if (!text.startsWith(token, pos)) {
            throw error("'" + token + "'");
        }
        pos += token.length();
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next(String expected) {
        if (pos >= text.length()) {
            throw error(expected);
        }
        return text.charAt(pos++);
    }

    private IllegalArgumentException error(String expected) {
        String found = pos < text.length() ? "'" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'" : "the end";
        return new IllegalArgumentException("not a Nix derivation: expected " + expected + " at offset " + pos
                + ", found " + found);
    }
}
