package dev.bhatti.server.api;

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
 */
public record ApiContext(String version, Store store, Users users, Sandboxes sandboxes, Volumes volumes, SecretBox secrets,
                         Supplier<Map<String, Object>> health, Clock clock,
                         double rateScale, String proxyZone) {

    /** The per-user rate limits, one instance per API server. */
    RateLimits newRateLimits() {
        return new RateLimits(clock, rateScale);
    }
}
