package dev.bhatti.server.e2b;

import dev.bhatti.proto.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Connect protocol with JSON (connectrpc.com/docs/protocol) as envd speaks it: a unary call is
 * a JSON body in and out, errors a non-200 status with {@code {"code","message"}}; a
 * server-streaming call takes one enveloped message and answers 200 with enveloped messages
 * (flags byte, 4-byte big-endian length, JSON), ended by an end-of-stream envelope (flag 0x02)
 * that carries an error, if any.
 */
public final class Connect {
    public static final String UNARY = "application/json";
    public static final String STREAM = "application/connect+json";
    private static final int END_STREAM = 0x02;
    /** A request message larger than this is refused (file contents go over /files, not RPCs). */
    static final int MAX_MESSAGE = 4 << 20;

    private Connect() {}

    /** A Connect error: its code (snake_case, e.g. {@code not_found}) and message. */
    public static final class Error extends RuntimeException {
        public final String code;

        public Error(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** The HTTP status of a unary call failing with this code. */
        public int status() {
            return switch (code) {
                case "invalid_argument", "failed_precondition", "out_of_range" -> 400;
                case "unauthenticated" -> 401;
                case "permission_denied" -> 403;
                case "not_found" -> 404;
                case "already_exists", "aborted" -> 409;
                case "resource_exhausted" -> 429;
                case "canceled" -> 499;
                case "unimplemented" -> 501;
                case "unavailable" -> 503;
                case "deadline_exceeded" -> 504;
                default -> 500;
            };
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", code);
            m.put("message", getMessage() == null ? "" : getMessage());
            return m;
        }
    }

    public static Error error(String code, String message) {
        return new Error(code, message);
    }

    /** The JSON message of a streaming request body (one envelope). */
    public static Object unwrap(byte[] body) {
        if (body.length < 5) {
            throw error("invalid_argument", "a streaming request must be one enveloped message");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        int flags = b.get() & 0xff;
        int length = b.getInt();
        if ((flags & 0x01) != 0) {
            throw error("unimplemented", "compressed messages are not supported");
        }
        if (length < 0 || length > body.length - 5 || length > MAX_MESSAGE) {
            throw error("invalid_argument", "the envelope's length " + length + " does not match the body");
        }
        return parse(new String(body, 5, length, StandardCharsets.UTF_8));
    }

    /** A unary request's JSON message ({@code {}} when empty). */
    public static Object parse(String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.decode(json.getBytes(StandardCharsets.UTF_8), Object.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw error("invalid_argument", "the request is not JSON: " + e.getMessage());
        }
    }

    /** One enveloped message. */
    static byte[] envelope(int flags, Object message) {
        byte[] json = Json.encode(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 5);
        out.write(flags);
        out.writeBytes(ByteBuffer.allocate(4).putInt(json.length).array());
        out.writeBytes(json);
        return out.toByteArray();
    }

    /** Writes a stream's message and flushes it at once. */
    public static void send(OutputStream out, Object message) throws IOException {
        out.write(envelope(0, message));
        out.flush();
    }

    /** Ends a stream: {@code {}}, or the error. */
    public static void end(OutputStream out, Error error) throws IOException {
        out.write(envelope(END_STREAM, error == null ? Map.of() : Map.of("error", error.json())));
        out.flush();
    }
}
