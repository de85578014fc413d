package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;

/** The authenticated user of a request, put there by {@link Auth}. */
final class Caller {
    static final String ATTRIBUTE = "bhatti.user";

    private Caller() {}

    static User of(Context ctx) {
        User user = ctx.attribute(ATTRIBUTE);
        if (user == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "authorization required");
        }
        return user;
    }
}
