package dev.bhatti.agent.floor;

import java.util.Arrays;

/** A sorted sample of durations in nanoseconds, answering nearest-rank percentiles in milliseconds. */
public record Latencies(long[] sortedNanos) {
    /** Column titles matching {@link #row()}. */
    public static final String HEADER = String.format("%8s %8s %8s %8s      ", "p50", "p95", "p99", "max");

    public Latencies {
        if (sortedNanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        sortedNanos = sortedNanos.clone();
        Arrays.sort(sortedNanos);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100], in milliseconds. */
    public double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    public double maxMillis() {
        return sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    /** "p50 p95 p99 max" in ms, fixed width (38 columns). */
    public String row() {
        return String.format("%8.3f %8.3f %8.3f %8.3f      ", percentileMillis(50), percentileMillis(95),
                percentileMillis(99), maxMillis());
    }

    /** {@code n=.. p50=.. p95=.. p99=.. max=..} in ms, for logs and one-line reports. */
    public String summary() {
        return String.format("n=%d p50=%.3f p95=%.3f p99=%.3f max=%.3f", sortedNanos.length, percentileMillis(50),
                percentileMillis(95), percentileMillis(99), maxMillis());
    }
}
