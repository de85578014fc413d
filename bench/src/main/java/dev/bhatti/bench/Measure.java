package dev.bhatti.bench;

import dev.bhatti.agent.floor.Latencies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;

/** Timing helpers shared by the end-to-end benchmarks. */
final class Measure {
    private Measure() {}

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static long time(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return System.nanoTime() - t;
    }

    static Latencies sample(int n, Callable<Long> one) throws Exception {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = one.call();
        }
        return new Latencies(s);
    }

    static void print(String what, Latencies l) {
        System.out.printf("%-44s %s%n", what, l.row());
    }

    /** The summed PSS (KiB) of these processes. */
    static long pssKb(java.util.List<Long> pids) throws IOException {
        long total = 0;
        for (long pid : pids) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return total;
    }

    static void deleteTree(Path root) throws IOException {
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
