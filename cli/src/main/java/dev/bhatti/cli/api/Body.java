package dev.bhatti.cli.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON request body built from command options, leaving out what the user did not give (null
 * values, empty lists and maps) so that the daemon's defaults apply.
 */
public final class Body {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Adds {@code key} unless {@code value} is null or an empty collection or map. */
    public Body put(String key, Object value) {
        boolean empty = value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty();
        if (value != null && !empty) {
            fields.put(key, value);
        }
        return this;
    }

    /** Adds {@code key: true} when {@code set}; an unset flag is left to the daemon's default. */
    public Body flag(String key, boolean set) {
        return set ? put(key, true) : this;
    }

    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }
}
