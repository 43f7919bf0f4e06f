package org.nixbuildshell.launcher.builddir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What nix-build-shell needs from a build's {@code env-vars}: the variables
 * (SHELL, PWD, name, stdenv…) and every store path the file names.
 *
 * <p>The file is bash's {@code export} output: {@code declare -x NAME="VALUE"}
 * with {@code \" \\ \$ \`} escaped and newlines kept literally inside the
 * quotes; bash 5.2 prints values with control characters as
 * {@code $'...'}; {@code declare -x NAME} has no value; {@code declare -p}
 * output may hold arrays {@code declare -ax NAME=(...)}. The reader never
 * fails on any input: what it cannot parse it skips.
 */
public final class EnvVars {
    /** A store path: the store directory, a 32-character nix-base32 hash, a name. */
    private static final Pattern STORE_PATH =
            Pattern.compile("/nix/store/[0123456789abcdfghijklmnpqrsvwxyz]{32}-[A-Za-z0-9+\\-._?=]+");

    private final Map<String, String> variables;
    private final Set<String> storePaths;
    private final int declarations;

    private EnvVars(Map<String, String> variables, Set<String> storePaths, int declarations) {
        this.variables = variables;
        this.storePaths = storePaths;
        this.declarations = declarations;
    }

    /** The value of a scalar variable, or null when absent or declared without a value. */
    public String get(String name) {
        return variables.get(name);
    }

    public Map<String, String> variables() {
        return variables;
    }

    /** Every store path mentioned anywhere in the file, in order of first mention. */
    public Set<String> storePaths() {
        return storePaths;
    }

    /** How many {@code declare} statements were recognised. */
    public int declarations() {
        return declarations;
    }

    /**
     * This file's variables and store paths, with those of a structured-attrs
     * build's .attrs.sh / .attrs.json added: there {@code stdenv}, {@code src},
     * {@code name} and the lists live only in the attrs files. What env-vars sets wins.
     */
    public EnvVars with(EnvVars attrs) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        attrs.variables.forEach(vars::putIfAbsent);
        Set<String> paths = new LinkedHashSet<>(storePaths);
        paths.addAll(attrs.storePaths);
        return new EnvVars(vars, paths, declarations);
    }

    /** Only the store paths of a text (e.g. .attrs.json), with no variables. */
    public static EnvVars storePathsOf(String text) {
        Set<String> paths = new LinkedHashSet<>();
        storePaths(text, paths);
        return new EnvVars(Map.of(), paths, 0);
    }

    public static EnvVars parse(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        int count = 0;
        Scanner s = new Scanner(text);
        while (!s.atEnd()) {
            if (s.startsWith("declare ")) {
                s.skip("declare ".length());
                // Nix writes .attrs.sh with flag-less 'declare NAME=VALUE' lines
                String flags = s.peek() == '-' ? s.word() : "";
                s.skipSpaces();
                String name = s.name();
                if (!name.isEmpty() && (flags.isEmpty() ? s.peek() == '=' : flags.startsWith("-"))) {
                    count++;
                    if (s.peek() == '=') {
                        s.skip(1);
                        String value = s.value();
                        if (value != null && !flags.contains("a") && !flags.contains("A")) {
                            vars.put(name, value);
                        }
                    }
                }
            }
            s.skipLine();
        }
        Set<String> paths = new LinkedHashSet<>();
        storePaths(text, paths);
        // values written as $'...' hide their store paths behind escapes
        vars.values().forEach(v -> storePaths(v, paths));
        return new EnvVars(vars, paths, count);
    }

    private static void storePaths(String text, Set<String> into) {
        Matcher m = STORE_PATH.matcher(text);
        while (m.find()) {
            into.add(m.group());
        }
    }

    /** A cursor over the text; every method tolerates the end of input. */
    private static final class Scanner {
        private final String t;
        private int i;

        Scanner(String text) {
            this.t = text;
        }

        boolean atEnd() {
            return i >= t.length();
        }

        char peek() {
            return atEnd() ? '\0' : t.charAt(i);
        }

        boolean startsWith(String prefix) {
            return t.startsWith(prefix, i);
        }

        void skip(int n) {
            i = Math.min(t.length(), i + n);
        }

        void skipSpaces() {
            while (peek() == ' ') {
                i++;
            }
        }

        void skipLine() {
            while (!atEnd() && t.charAt(i) != '\n') {
                i++;
            }
            skip(1);
        }

        String word() {
            int start = i;
            while (!atEnd() && t.charAt(i) != ' ' && t.charAt(i) != '\n') {
                i++;
            }
            return t.substring(start, i);
        }

        String name() {
            int start = i;
            while (!atEnd() && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_') && t.charAt(i) < 128) {
                i++;
            }
            return t.substring(start, i);
        }

        /**
         * A value after '=': (array), or a word of adjacent "double quoted", $'ANSI-C',
         * 'single quoted' and \\-escaped or bare parts (Nix writes .attrs.sh values as
         * {@code 'it'\\''s'}). Null if unterminated.
         */
        String value() {
            if (peek() == '(') {
                skipArray();
                return null;
            }
            StringBuilder v = new StringBuilder();
            while (!atEnd()) {
                char c = peek();
                String part;
                if (c == '"') {
                    i++;
                    part = doubleQuoted();
                } else if (c == '$' && i + 1 < t.length() && t.charAt(i + 1) == '\'') {
                    i += 2;
                    part = ansiC();
                } else if (c == '\'') {
                    i++;
                    int end = t.indexOf('\'', i);
                    part = end < 0 ? null : t.substring(i, end);
                    i = end < 0 ? t.length() : end + 1;
                } else if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) != '\n') {
                    part = String.valueOf(t.charAt(i + 1));
                    i += 2;
                } else if (c == ' ' || c == '\n' || c == '\t') {
                    break;
                } else {
                    int start = i;
                    while (!atEnd() && " \n\t\"'\\".indexOf(t.charAt(i)) < 0
                            && !(t.charAt(i) == '$' && i + 1 < t.length() && t.charAt(i + 1) == '\'')) {
                        i++;
                    }
                    if (i == start) {
                        i++; // a lone backslash before a newline or at the end: taken literally
                    }
                    part = t.substring(start, i);
                }
                if (part == null) {
                    return null;
                }
                v.append(part);
            }
            return v.toString();
        }

        private String doubleQuoted() {
            StringBuilder v = new StringBuilder();
            while (!atEnd()) {
                char c = t.charAt(i++);
                if (c == '"') {
                    return v.toString();
                }
                if (c == '\\' && !atEnd() && "\"\\$`\n".indexOf(t.charAt(i)) >= 0) {
                    char next = t.charAt(i++);
                    if (next != '\n') {
                        v.append(next);
                    }
                } else {
                    v.append(c);
                }
            }
            return null;
        }

        /**
         * $'...': escapes stand for bytes (bash in the C locale prints a UTF-8 "é" as
         * {@code \303\251}), so the value is assembled as bytes and decoded as UTF-8,
         * or as Latin-1 when those bytes are not UTF-8.
         */
        private String ansiC() {
            ByteArrayOutputStream v = new ByteArrayOutputStream();
            while (!atEnd()) {
                char c = t.charAt(i++);
                if (c == '\'') {
                    return decode(v.toByteArray());
                }
                if (c != '\\' || atEnd()) {
                    String literal = Character.isHighSurrogate(c) && !atEnd() && Character.isLowSurrogate(t.charAt(i))
                            ? new String(new char[] {c, t.charAt(i++)}) : String.valueOf(c);
                    v.writeBytes(literal.getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                char e = t.charAt(i++);
                switch (e) {
                    case 'n' -> v.write('\n');
                    case 't' -> v.write('\t');
                    case 'r' -> v.write('\r');
                    case 'a' -> v.write(7);
                    case 'b' -> v.write('\b');
                    case 'e', 'E' -> v.write(27);
                    case 'f' -> v.write('\f');
                    case 'v' -> v.write(11);
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> v.write(digits(e - '0', 8, 2));
                    case 'x' -> v.write(digits(0, 16, 2));
                    case 'c' -> {
                        if (!atEnd()) {
                            v.write(t.charAt(i++) & 0x1f);
                        }
                    }
                    default -> v.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8)); // \\ \' \" ...
                }
            }
            return null;
        }

        private static String decode(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }

        /** Up to {@code max} more digits in {@code radix} after an initial value; the low byte. */
        private int digits(int value, int radix, int max) {
            for (int n = 0; n < max && !atEnd() && Character.digit(t.charAt(i), radix) >= 0; n++) {
                value = value * radix + Character.digit(t.charAt(i++), radix);
            }
            return value & 0xff;
        }

        /** Skip a parenthesised array, honouring quotes, to its closing parenthesis. */
        private void skipArray() {
            i++;
            while (!atEnd()) {
                char c = t.charAt(i++);
                if (c == ')') {
                    return;
                }
                if (c == '"') {
                    doubleQuoted();
                } else if (c == '\'') {
                    while (!atEnd() && t.charAt(i++) != '\'') {
                        // single quotes have no escapes
                    }
                } else if (c == '$' && peek() == '\'') {
                    i++;
                    ansiC();
                }
            }
        }
    }
}
