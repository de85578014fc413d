package dev.bhatti.server.events;

import dev.bhatti.engine.Thermal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One lifecycle event of a sandbox.
 *
 * @param id         increasing across daemon restarts (an SSE {@code id:} for {@code Last-Event-ID})
 * @param userId     the owner, for scoping; never sent
 * @param from       the thermal state before, where it applies
 * @param to         the thermal state after, where it applies
 * @param durationMs how long the change took, where it applies
 * @param detail     a short human text (what a fork made, why it failed), or null
 */
public record SandboxEvent(long id, Instant time, EventType type, String sandboxId, String sandboxName, String userId,
                           Cause cause, Thermal from, Thermal to, Long durationMs, String detail) {

    /** The JSON body of the SSE {@code data:} line (snake_case, absent fields left out). */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("time", time.toString());
        m.put("type", type.wire());
        m.put("sandbox_id", sandboxId);
        if (sandboxName != null) {
            m.put("sandbox_name", sandboxName);
        }
        m.put("cause", cause.wire());
        if (from != null) {
            m.put("from", from.name().toLowerCase(Locale.ROOT));
        }
        if (to != null) {
            m.put("thermal", to.name().toLowerCase(Locale.ROOT));
        }
        if (durationMs != null) {
            m.put("duration_ms", durationMs);
        }
        if (detail != null) {
            m.put("detail", detail);
        }
        return m;
    }
}
