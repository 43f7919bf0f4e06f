package org.nixbuildshell.launcher.derivation;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment and the files Nix gives a derivation's builder in the
 * sandbox (Nix's {@code initEnv} and {@code writeStructuredAttrs}):
 * <ul>
 * <li>the base: {@code PATH=/path-not-set}, {@code HOME=/homeless-shelter},
 * {@code NIX_STORE}, {@code NIX_BUILD_CORES}, {@code NIX_BUILD_TOP},
 * {@code TMPDIR}/{@code TEMPDIR}/{@code TMP}/{@code TEMP} and {@code PWD} all
 * {@code /build}, {@code NIX_LOG_FD=2}, {@code TERM=xterm-256color};</li>
 * <li>without structured attrs, every variable of the derivation, except
 * those named in {@code passAsFile}: each of those is written to
 * {@code /build/.attr-HASH} and named by {@code NAMEPath};</li>
 * <li>with structured attrs, none of them: {@code .attrs.json} (the
 * attributes, with {@code outputs} mapped to their paths) and
 * {@code .attrs.sh} (the same as bash declarations), named by
 * {@code NIX_ATTRS_JSON_FILE} and {@code NIX_ATTRS_SH_FILE}.</li>
 * </ul>
 *
 * @param variables what the builder's environment holds
 * @param files     file name inside /build → contents
 */
public record BuilderEnvironment(Map<String, String> variables, Map<String, String> files) {
    /** The build directory inside the sandbox (Nix's sandbox-build-dir), and so where the copy is: the one constant. */
    public static final String BUILD_TOP = "/build";

    /** The sandbox path of {@code relative}, a path inside the build directory ("" for the directory itself). */
    public static String inBuildTop(String relative) {
        return relative.isEmpty() ? BUILD_TOP : BUILD_TOP + "/" + relative;
    }
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";

    public static BuilderEnvironment of(Derivation drv, int buildCores) {
        Map<String, String> env = new TreeMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        env.put("PATH", "/path-not-set");
        env.put("HOME", "/homeless-shelter");
        env.put("NIX_STORE", "/nix/store");
        env.put("NIX_BUILD_CORES", Integer.toString(buildCores));
        if (drv.structuredAttrs()) {
            Map<String, Object> attrs = new TreeMap<>(Json.parseObject(drv.env().get("__json")));
            attrs.put("outputs", new TreeMap<>(drv.outputs()));
            files.put(".attrs.json", Json.write(attrs));
            files.put(".attrs.sh", shellDeclarations(attrs));
            env.put("NIX_ATTRS_JSON_FILE", BUILD_TOP + "/.attrs.json");
            env.put("NIX_ATTRS_SH_FILE", BUILD_TOP + "/.attrs.sh");
        } else {
            List<String> passAsFile = Arrays.asList(drv.env().getOrDefault("passAsFile", "").trim().split("\\s+"));
            drv.env().forEach((name, value) -> {
                if (passAsFile.contains(name)) {
                    String file = ".attr-" + nix32(sha256(name));
                    files.put(file, value);
                    env.put(name + "Path", inBuildTop(file));
                } else {
                    env.put(name, value);
                }
            });
        }
        for (String name : List.of("NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD")) {
            env.put(name, BUILD_TOP);
        }
        if (drv.fixedOutput()) {
            env.put("NIX_OUTPUT_CHECKED", "1");
        }
        env.put("NIX_LOG_FD", "2");
        env.put("TERM", "xterm-256color");
        return new BuilderEnvironment(env, files);
    }

    /** {@code .attrs.sh}: scalars, lists and flat objects of scalars as bash declarations; the rest is left out. */
    static String shellDeclarations(Map<String, Object> attrs) {
        StringBuilder sh = new StringBuilder();
        new TreeMap<>(attrs).forEach((key, value) -> {
            if (!SHELL_NAME.matcher(key).matches()) {
                return;
            }
            String simple = simple(value);
            if (simple != null) {
                sh.append("declare ").append(key).append('=').append(simple).append('\n');
            } else if (value instanceof List<?> list) {
                StringBuilder items = new StringBuilder();
                for (Object item : list) {
                    String s = simple(item);
                    if (s == null) {
                        return;
                    }
                    items.append(s).append(' ');
                }
                sh.append("declare -a ").append(key).append("=(").append(items).append(")\n");
            } else if (value instanceof Map<?, ?> map) {
                StringBuilder items = new StringBuilder();
                for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                    String s = simple(e.getValue());
                    if (s == null) {
                        return;
                    }
                    items.append('[').append(shellEscape((String) e.getKey())).append("]=").append(s).append(' ');
                }
                sh.append("declare -A ").append(key).append("=(").append(items).append(")\n");
            }
        });
        return sh.toString();
    }

    /** A scalar as bash text, or null: strings quoted, whole numbers, booleans as 1 or empty, null as ''. */
    private static String simple(Object value) {
        if (value == null) {
            return "''";
        }
        if (value instanceof String s) {
            return shellEscape(s);
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "";
        }
        if (value instanceof BigDecimal n && n.stripTrailingZeros().scale() <= 0) {
            return n.toBigInteger().toString();
        }
        return null;
    }

    private static String shellEscape(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nix's base-32 (its own alphabet, last byte first), as in store path hashes. */
    static String nix32(byte[] hash) {
        int length = (hash.length * 8 - 1) / 5 + 1;
        StringBuilder s = new StringBuilder(length);
        for (int n = length - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = (hash[i] & 0xff) >> j;
            if (i + 1 < hash.length) {
                c |= (hash[i + 1] & 0xff) << (8 - j);
            }
            s.append(NIX32.charAt(c & 0x1f));
        }
        return s.toString();
    }
}
