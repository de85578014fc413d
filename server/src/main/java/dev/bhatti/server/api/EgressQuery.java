package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.store.EgressRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query and the wire form of {@code GET /sandboxes/:id/egress} (openapi.json {@code EgressEntry}). */
final class EgressQuery {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private EgressQuery() {}

    /** {@code since}: RFC 3339 or unix seconds; absent: the beginning. */
    static Instant since(String raw) {
        if (raw == null || raw.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return raw.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(raw)) : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "since must be an RFC 3339 time or unix seconds, got \""
                    + raw + "\"");
        }
    }

    static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "limit must be an integer in 1.." + MAX_LIMIT + ", got \"" + raw + "\"");
    }

    static Map<String, Object> view(EgressRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", r.at().toString());
        m.put("protocol", r.protocol());
        m.put("address", r.address());
        if (r.port() != null) {
            m.put("port", r.port());
        }
        if (r.domain() != null) {
            m.put("domain", r.domain());
        }
        m.put("verdict", r.allowed() ? "allowed" : "denied");
        return m;
    }
}
