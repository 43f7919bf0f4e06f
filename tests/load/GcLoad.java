import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Background load for scripts/soak: allocation churn that keeps the collector
 * busy (young collections all the time, and old ones as a window of survivors
 * is replaced), for a bounded time.
 * Usage: java -Xmx256m tests/load/GcLoad.java SECONDS [THREADS (default: one per core)]
 */
public final class GcLoad {
    public static void main(String[] args) throws InterruptedException {
        long deadline = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> churn(deadline), "churn-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    private static void churn(long deadline) {
        // ~32 MiB of survivors per thread, replaced at random: they age into the old generation
        byte[][] survivors = new byte[4096][];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long sink = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1000; i++) {
                byte[] garbage = new byte[random.nextInt(64, 16384)];
                sink += garbage.length;
            }
            survivors[random.nextInt(survivors.length)] = new byte[8192];
        }
        if (sink == 42) {
            System.out.println(sink); // keeps the allocations from being optimised away
        }
    }
}
