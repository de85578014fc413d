package dev.bhatti.server.api;

import com.fasterxml.jackson.core.JacksonException;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.proto.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads JSON request bodies: at most 1 MiB (413 beyond), malformed JSON is a 400 naming the problem. */
final class Bodies {
    /** SPEC §9: API JSON bodies. */
    static final int MAX_JSON = 1 << 20;

    private Bodies() {}

    /** The body decoded as {@code type}; an empty body decodes as {@code empty}. */
    static <T> T json(Context ctx, Class<T> type, T empty) {
        byte[] raw = read(ctx);
        if (raw.length == 0 || new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return empty;
        }
        try {
            T value = Json.mapper().readValue(raw, type);
            if (value == null) {
                throw new ApiException(ErrorCode.INVALID_JSON, "request body must be a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "cannot read the JSON body: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
    }

    private static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_JSON) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "JSON body of " + declared + " bytes is over the 1 MiB limit");
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] raw = in.readNBytes(MAX_JSON + 1);
            if (raw.length > MAX_JSON) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "JSON body is over the 1 MiB limit");
            }
            return raw;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "cannot read the request body: " + e.getMessage());
        }
    }
}
