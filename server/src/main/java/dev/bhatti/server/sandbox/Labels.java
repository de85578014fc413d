package dev.bhatti.server.sandbox;

import dev.bhatti.server.api.ApiException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label edits and the {@code ?label=k=v} filter. */
public final class Labels {
    private Labels() {}

    static Map<String, String> apply(Map<String, String> current, Map<String, String> add, Collection<String> remove) {
        Map<String, String> out = new LinkedHashMap<>(current);
        add.forEach((k, v) -> out.put(requireKey(k), v == null ? "" : v));
        remove.forEach(out::remove);
        return out;
    }

    /** Parses {@code k=v} filters; a filter without {@code =} is a 400. */
    public static Map<String, String> filter(Collection<String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new ApiException.Invalid("invalid_label", "label filter must be key=value, got \"" + p + "\"");
            }
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }

    static String requireKey(String key) {
        if (key == null || key.isBlank() || key.length() > 63) {
            throw new ApiException.Invalid("invalid_label", "label keys must be 1..63 characters");
        }
        return key;
    }
}
