package dev.bhatti.server.api;

import dev.bhatti.server.store.User;
import dev.bhatti.client.AgentClient;
import dev.bhatti.server.sandbox.Sandboxes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** The caller of a route, charged against its rate limit of the route's kind. */
final class Guard {
    private final RateLimits limits;

    static final String HOLDS = "bhatti.holds";

    private final Sandboxes sandboxes;

    Guard(RateLimits limits, Sandboxes sandboxes) {
        this.limits = limits;
        this.sandboxes = sandboxes;
    }

    /** The sandbox's agent, made hot and held hot until the request ends ({@link #release}). */
    AgentClient agent(Context ctx, User user, String ref) {
        return hot(ctx, user, ref).agent();
    }

    /** Like {@link #agent} with the sandbox's id, for mapping agent failures ({@link Sandboxes#agentFailure}). */
    Sandboxes.Hot hot(Context ctx, User user, String ref) {
        Sandboxes.Hot hot = sandboxes.hot(user, ref);
        List<Sandboxes.Hot> held = ctx.attribute(HOLDS);
        if (held == null) {
            held = new ArrayList<>();
            ctx.attribute(HOLDS, held);
        }
        held.add(hot);
        return hot;
    }

    /** Ends the request's holds (an after-handler: runs also when the request failed). */
    static void release(Context ctx) throws Exception {
        List<Sandboxes.Hot> held = ctx.attribute(HOLDS);
        if (held != null) {
            for (Sandboxes.Hot h : held) {
                h.close();
            }
            held.clear();
        }
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
