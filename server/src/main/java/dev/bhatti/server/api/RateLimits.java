package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user token buckets (SPEC §4.1): create 10 burst / 30 per min; exec, file writes and
 * WebSockets 30 / 600 per min; everything else 60 / 1200 per min. Public preview traffic (no user)
 * is limited per client IP and per alias instead; those figures are ours (the SPEC names no numbers).
 */
final class RateLimits {
    enum Kind {
        CREATE(10, 30), HEAVY(30, 600), OTHER(60, 1200), PUBLIC_IP(200, 6000), PUBLIC_ALIAS(500, 30000);

        final int burst;
        final int perMinute;

        Kind(int burst, int perMinute) {
            this.burst = burst;
            this.perMinute = perMinute;
        }
    }

    private final Clock clock;
    private final double scale;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code scale} multiplies every limit (1 in production; tests may raise it). */
    RateLimits(Clock clock, double scale) {
        this.clock = clock;
        this.scale = scale;
    }

    /** Takes a token from the bucket of {@code key} (a user id, a client IP, an alias) and kind. */
    void acquire(String key, Kind kind) {
        Bucket b = buckets.computeIfAbsent(key + "/" + kind, k -> new Bucket(kind.burst * scale,
                kind.perMinute * scale / 60_000.0, clock.millis()));
        if (!b.take(clock.millis())) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "rate limit exceeded");
        }
    }

    private static final class Bucket {
        private final double capacity;
        private final double perMilli;
        private double tokens;
        private long last;

        Bucket(double capacity, double perMilli, long now) {
            this.capacity = capacity;
            this.perMilli = perMilli;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perMilli);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
