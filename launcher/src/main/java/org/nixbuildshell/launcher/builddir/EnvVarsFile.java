package org.nixbuildshell.launcher.builddir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/** Reads and checks a build's env-vars: text, bash export format, with a SHELL from the store. */
public final class EnvVarsFile {
    private EnvVarsFile() {}

    /**
     * env-vars, plus .attrs.sh and .attrs.json when the build used structured
     * attrs: the stdenv and the sources are named only there.
     */
    public static EnvVars read(BuildDir build) {
        EnvVars vars = read(build.envVars());
        for (Path attrs : new Path[] {build.attrsSh(), build.attrsJson()}) {
            if (Files.isRegularFile(attrs)) {
                String text = decode(bytes(attrs), attrs);
                vars = vars.with(attrs.equals(build.attrsSh()) ? EnvVars.parse(text) : EnvVars.storePathsOf(text));
            }
        }
        return vars;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ToolError(ExitCodes.NO_ENV_VARS, "cannot read " + file + ": " + e.getMessage(),
                    "make it readable, e.g. sudo chmod a+r " + file);
        }
    }

    public static EnvVars read(Path file) {
        String text = decode(bytes(file), file);
        EnvVars vars = EnvVars.parse(text);
        if (vars.declarations() == 0) {
            throw new ToolError(ExitCodes.BAD_ENV_VARS, file + " holds no 'declare -x NAME=...' lines",
                    "env-vars is written by the builder with bash's export; this file is not that");
        }
        String shell = vars.get("SHELL");
        if (shell == null || shell.isEmpty()) {
            throw new ToolError(ExitCodes.NO_SHELL, file + " sets no SHELL",
                    "nixpkgs' stdenv exports SHELL; for another builder, add SHELL = \"${bash}/bin/bash\" to the derivation "
                            + "or add a line declare -x SHELL=\"/nix/store/...-bash/bin/bash\" to a copy of the directory");
        }
        if (!shell.startsWith("/nix/store/") || !Files.isRegularFile(Path.of(shell))) {
            throw new ToolError(ExitCodes.SHELL_NOT_IN_STORE, "the SHELL of this build, " + shell + ", is not in the Nix store",
                    "it was garbage-collected or the build comes from another machine; realise it again, "
                            + "e.g. nix-store --realise " + storePathOf(shell));
        }
        return vars;
    }

    private static String decode(byte[] bytes, Path file) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new ToolError(ExitCodes.BAD_ENV_VARS, file + " is a binary file, not bash's export output",
                        "env-vars must be the text the builder wrote; is the build directory intact?");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // Values may hold any bytes; keep them as Latin-1 rather than refuse the file.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    static String storePathOf(String path) {
        int slash = path.indexOf('/', "/nix/store/".length());
        return slash < 0 ? path : path.substring(0, slash);
    }
}
