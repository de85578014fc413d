package dev.bhatti.bench;

import java.util.Arrays;

/** A sorted sample of durations in nanoseconds, answering nearest-rank percentiles in milliseconds. */
record Latencies(long[] sortedNanos) {
    /** Column titles matching {@link #row()}. */
    static final String HEADER = String.format("%8s %8s %8s %8s      ", "p50", "p95", "p99", "max");

    Latencies {
        if (sortedNanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        sortedNanos = sortedNanos.clone();
        Arrays.sort(sortedNanos);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100], in milliseconds. */
    double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    double maxMillis() {
        return sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    /** "p50 p95 p99 max" in ms, fixed width (38 columns). */
    String row() {
        return String.format("%8.3f %8.3f %8.3f %8.3f      ", percentileMillis(50), percentileMillis(95),
                percentileMillis(99), maxMillis());
    }
}
