package org.nixbuildshell.launcher.rootfs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The progress line of a copy, on stderr when it is a terminal: bytes and
 * files done of the total, rate and time left. A daemon thread first measures
 * the source (while cp already runs), then polls the size of the destination,
 * less often when the tree is big (polling never takes more than a fifth of
 * the time). Nothing is shown for copies that end within the first second;
 * {@link #close()} clears the line.
 */
public final class CopyProgress implements AutoCloseable {
    private static final long FIRST_LINE_MILLIS = 1000;
    private static final long MIN_POLL_MILLIS = 250;

    private final Path source;
    private final Path target;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean done;
    private boolean shown;

    private CopyProgress(Path source, Path target, PrintStream out) {
        this.source = source;
        this.target = target;
        this.out = out;
        this.thread = new Thread(this::loop, "copy-progress");
        thread.setDaemon(true);
    }

    /** Starts a progress line when {@code terminal}; otherwise a no-op that costs nothing. */
    public static CopyProgress start(Path source, Path target, boolean terminal, PrintStream out) {
        CopyProgress p = new CopyProgress(source, target, out);
        if (terminal) {
            p.thread.start();
        } else {
            p.done = true;
        }
        return p;
    }

    private void loop() {
        long started = System.nanoTime();
        Tally total = Tally.of(source);
        while (!done) {
            long pollStart = System.nanoTime();
            Tally now = Tally.of(target);
            long pollMillis = (System.nanoTime() - pollStart) / 1_000_000;
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            if (done) {
                break;
            }
            if (elapsedMillis >= FIRST_LINE_MILLIS) {
                show(line(now, total, elapsedMillis));
            }
            sleep(Math.max(MIN_POLL_MILLIS, 4 * pollMillis));
        }
    }

    private synchronized void show(String line) {
        if (!done) {
            out.print("\r\033[K" + line);
            out.flush();
            shown = true;
        }
    }

    static String line(Tally now, Tally total, long elapsedMillis) {
        long bytes = Math.min(now.bytes, total.bytes);
        long files = Math.min(now.files, total.files);
        double rate = elapsedMillis > 0 ? bytes * 1000.0 / elapsedMillis : 0;
        StringBuilder b = new StringBuilder("copying the build dir: ")
                .append(Copier.human(bytes)).append(" / ").append(Copier.human(total.bytes)).append(", ")
                .append(files).append(" / ").append(total.files).append(" files, ")
                .append(Copier.human((long) rate)).append("/s");
        if (rate > 0 && total.bytes > bytes) {
            long left = (long) ((total.bytes - bytes) / rate);
            b.append(", ").append(String.format("%d:%02d", left / 60, left % 60)).append(" left");
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        if (!done) {
            done = true;
            thread.interrupt();
        }
        if (shown) {
            out.print("\r\033[K");
            out.flush();
            shown = false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Files (of every kind) and bytes (of regular files) in a tree; unreadable parts are skipped. */
    record Tally(long files, long bytes) {
        static Tally of(Path top) {
            long[] n = new long[2];
            try {
                Files.walkFileTree(top, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        n[0]++;
                        if (attrs.isRegularFile()) {
                            n[1] += attrs.size();
                        }
                        return Thread.currentThread().isInterrupted() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // the destination does not exist yet
            }
            return new Tally(n[0], n[1]);
        }
    }
}
