package dev.bhatti.server.thermal;

import java.time.Duration;
import java.util.Objects;

/**
 * Thermal manager timing (SPEC §5).
 *
 * @param interval  how often a cycle runs
 * @param warmAfter idle time after which a hot sandbox is paused (hot → warm)
 * @param coldAfter idle time after which a warm sandbox is snapshotted (warm → cold); ≥ warmAfter
 */
public record ThermalConfig(Duration interval, Duration warmAfter, Duration coldAfter) {
    public static final ThermalConfig DEFAULTS =
            new ThermalConfig(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(30));

    public ThermalConfig {
        requirePositive("interval", interval);
        requirePositive("warm_after", warmAfter);
        requirePositive("cold_after", coldAfter);
        if (coldAfter.compareTo(warmAfter) < 0) {
            throw new IllegalArgumentException("cold_after (" + coldAfter + ") must not be shorter than warm_after ("
                    + warmAfter + ")");
        }
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
