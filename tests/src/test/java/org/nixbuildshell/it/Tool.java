package org.nixbuildshell.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tool, scripts/nix-build-shell, as a separate process. */
public final class Tool {
    public static final Path REPO = Path.of(System.getProperty("nbs.repo", "..")).toAbsolutePath().normalize();
    public static final Path SCRIPT = REPO.resolve("scripts/nix-build-shell");

    /** What one run printed and returned. */
    public record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Tool() {}

    /** Run with TMPDIR set to {@code tmpdir} (so leftovers can be checked) and stdin from /dev/null. */
    public static Result run(Path tmpdir, Object... args) {
        return run(tmpdir, Map.of(), args);
    }

    public static Result run(Path tmpdir, Map<String, String> env, Object... args) {
        Process p = start(tmpdir, env, args);
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
            errReader.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("nix-build-shell did not finish within 120 s");
            }
            errReader.join();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Start without waiting, for signal tests. */
    public static Process start(Path tmpdir, Map<String, String> env, Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT.toString());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TMPDIR", tmpdir.toString());
        pb.environment().put("XDG_CACHE_HOME", cacheFor(tmpdir).toString());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // process gone
        }
    }

    private static Path caches;

    /**
     * The working-copy cache of the runs that use {@code tmpdir}: one per test (each has its own
     * TMPDIR), so that one test's edits of /build, which last, never reach another's. All are removed
     * when the test JVM ends.
     */
    public static synchronized Path cacheFor(Path tmpdir) {
        try {
            if (caches == null) {
                caches = Files.createTempDirectory("nbs-it-caches-");
                Path top = caches;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Dirs.delete(top);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }));
            }
            return caches.resolve(Integer.toHexString(tmpdir.toAbsolutePath().toString().hashCode()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names left in a directory (the tool's temp roots would show up here). */
    public static List<String> leftovers(Path tmpdir) {
        try (var s = Files.list(tmpdir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uid of this test JVM. */
    public static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    public static long gid() {
        return new com.sun.security.auth.module.UnixSystem().getGid();
    }
}
