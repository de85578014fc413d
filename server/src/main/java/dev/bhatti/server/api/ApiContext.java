package dev.bhatti.server.api;

import dev.bhatti.server.events.EventLog;
import dev.bhatti.server.metrics.Metrics;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.secrets.SecretBox;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.Users;
import dev.bhatti.server.volume.Volumes;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the routes use, wired by the daemon.
 *
 * @param health    the body of {@code GET /health}
 * @param proxyZone public preview by Host {@code <alias>.<zone>}, or null for {@code /p/<alias>/}
 * @param events    the lifecycle events ({@code GET /events})
 * @param metrics   what {@code GET /metrics} reports
 * @param e2bTokens the envd access tokens of the E2B-compatible API (docs/e2b.md)
 * @param e2bLifetimes the timeouts of sandboxes made through it
 */
public record ApiContext(String version, Store store, Users users, Sandboxes sandboxes, Volumes volumes, SecretBox secrets,
                         Supplier<Map<String, Object>> health, Clock clock,
                         double rateScale, String proxyZone, EventLog events, Metrics metrics,
                         dev.bhatti.server.e2b.E2bTokens e2bTokens, dev.bhatti.server.e2b.E2bLifetimes e2bLifetimes) {

    /** The per-user rate limits, one instance per API server. */
    RateLimits newRateLimits() {
        return new RateLimits(clock, rateScale);
    }
}
