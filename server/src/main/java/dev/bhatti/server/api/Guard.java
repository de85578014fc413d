package dev.bhatti.server.api;

import dev.bhatti.server.store.User;
import io.javalin.http.Context;

/** The caller of a route, charged against its rate limit of the route's kind. */
final class Guard {
    private final RateLimits limits;

    Guard(RateLimits limits) {
        this.limits = limits;
    }

    User user(Context ctx, RateLimits.Kind kind) {
        User user = Caller.of(ctx);
        limits.acquire(user.id(), kind);
        return user;
    }

    /** Charges an already authenticated user (WebSocket connects). */
    User user(User user, RateLimits.Kind kind) {
        limits.acquire(user.id(), kind);
        return user;
    }

    User user(Context ctx) {
        return user(ctx, RateLimits.Kind.OTHER);
    }
}
