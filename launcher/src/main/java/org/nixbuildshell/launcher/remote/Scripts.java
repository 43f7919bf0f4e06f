package org.nixbuildshell.launcher.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shell scripts a builder runs (probe.sh, upload.sh, run.sh, resources of
 * this package), each as one {@code sh -c SCRIPT NAME ARGS...} command line
 * for the remote user's login shell, which ssh hands it to.
 */
final class Scripts {
    private Scripts() {}

    static String command(String script, List<String> args) {
        return "sh -c " + Ssh.quote(text(script + ".sh")) + " " + script + (args.isEmpty() ? "" : " " + Ssh.quoteAll(args));
    }

    private static String text(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
