package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.store.User;
import dev.bhatti.server.users.Users;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * API keys (SPEC §4.1): {@code Authorization: Bearer <key>} everywhere but health; WebSocket
 * upgrades may instead carry {@code ?token=<key>} (browsers cannot set headers). Keys are looked
 * up by their SHA-256 and compared in constant time by the store.
 */
final class Auth {
    private final Users users;

    Auth(Users users) {
        this.users = users;
    }

    /** Authenticates the request; {@code allowQueryToken} only for WebSocket upgrades. */
    User authenticate(Context ctx, boolean allowQueryToken) {
        Optional<String> key = bearer(ctx.header("Authorization"));
        if (key.isEmpty() && ctx.path().startsWith(E2bControlRoutes.PREFIX + "/")) {
            // the E2B SDK sends its key as X-API-KEY (docs/e2b.md)
            key = Optional.ofNullable(ctx.header("X-API-KEY")).map(String::strip).filter(k -> !k.isEmpty());
        }
        if (key.isEmpty() && allowQueryToken) {
            key = Optional.ofNullable(ctx.queryParam("token")).filter(t -> !t.isEmpty());
        }
        if (key.isEmpty()) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "authorization required");
        }
        User user = users.authenticate(key.get())
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "invalid api key"));
        ctx.attribute(Caller.ATTRIBUTE, user);
        return user;
    }

    private static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(h.substring(7).strip());
        }
        return Optional.empty();
    }
}
