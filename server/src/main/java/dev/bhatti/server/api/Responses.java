package dev.bhatti.server.api;

import dev.bhatti.proto.Json;
import io.javalin.http.Context;

/** Writes JSON answers with the project's JSON rules (snake_case, absent fields left out). */
final class Responses {
    private Responses() {}

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.encode(body));
    }

    static void ok(Context ctx, Object body) {
        json(ctx, 200, body);
    }
}
