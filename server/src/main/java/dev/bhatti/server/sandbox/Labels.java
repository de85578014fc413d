package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
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
                throw new ApiException(ErrorCode.INVALID_LABEL, "label filter must be key=value, got \"" + p + "\"");
            }
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }

    /** Every key of {@code labels} valid ({@link #requireKey}). */
    static void requireKeys(Map<String, String> labels) {
        labels.keySet().forEach(Labels::requireKey);
    }

    /**
     * 1..63 characters, without {@code =} (a {@code ?label=k=v} filter splits at the first one, so such
     * a key could never be filtered on) and without control characters.
     */
    static String requireKey(String key) {
        if (key == null || key.isBlank() || key.length() > 63) {
            throw new ApiException(ErrorCode.INVALID_LABEL, "label keys must be 1..63 characters, got \""
                    + EnvVars.printable(key) + "\"");
        }
        if (key.indexOf('=') >= 0) {
            throw new ApiException(ErrorCode.INVALID_LABEL, "label key \"" + EnvVars.printable(key)
                    + "\" must not contain '='");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ApiException(ErrorCode.INVALID_LABEL, "label key \"" + EnvVars.printable(key)
                    + "\" contains a control character");
        }
        return key;
    }
}
