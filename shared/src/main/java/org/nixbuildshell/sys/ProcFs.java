package org.nixbuildshell.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading procfs files. They report size 0, so anything that trusts the size
 * (Files.readString did: cap_last_cap came back as "4" instead of "40") reads
 * short: read to end of file instead.
 */
public final class ProcFs {
    private ProcFs() {}

    /** The whole file as ASCII text, e.g. {@code read("/proc/sys/kernel/cap_last_cap")}. */
    public static String read(String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
