package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.api.ApiException;
import java.util.Map;

/**
 * Rules for environment variables coming from API callers. A key with {@code =} would change what
 * the guest sees ({@code XA=B} + {@code v} becomes {@code XA=B=v}, i.e. {@code XA} = {@code B=v}) and a
 * NUL cannot pass through a C string: both are refused with a 400 naming the key, never sent on.
 */
public final class EnvVars {
    private EnvVars() {}

    /**
     * An exec's {@code env}: keys non-empty without {@code =} or NUL, values strings without NUL.
     * {@code field} names the JSON field in messages (e.g. {@code env}).
     */
    public static void requireExecEnv(Map<String, String> env, String field) {
        if (env == null) {
            return;
        }
        env.forEach((k, v) -> {
            if (k == null || k.isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_ENV, field + " keys must not be empty");
            }
            if (k.indexOf('=') >= 0) {
                throw new ApiException(ErrorCode.INVALID_ENV, field + " key \"" + printable(k) + "\" must not contain '='");
            }
            if (k.indexOf('\0') >= 0) {
                throw new ApiException(ErrorCode.INVALID_ENV, field + " key \"" + printable(k) + "\" contains a NUL byte");
            }
            requireValue(field, k, v);
        });
    }

    /**
     * A sandbox's or template's {@code env}: names are shell variable names
     * ({@code [A-Za-z_][A-Za-z0-9_]*}), values strings without NUL.
     */
    public static void requireSandboxEnv(Map<String, String> env, String field) {
        if (env == null) {
            return;
        }
        env.forEach((k, v) -> {
            if (k == null || !k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ApiException(ErrorCode.INVALID_ENV, field + ": environment variable names must match "
                        + "[A-Za-z_][A-Za-z0-9_]*, got \"" + printable(k) + "\"");
            }
            requireValue(field, k, v);
        });
    }

    private static void requireValue(String field, String key, String value) {
        if (value == null) {
            throw new ApiException(ErrorCode.INVALID_ENV, field + " value of " + printable(key) + " must be a string");
        }
        if (value.indexOf('\0') >= 0) {
            throw new ApiException(ErrorCode.INVALID_ENV, field + " value of " + printable(key) + " contains a NUL byte");
        }
    }

    /** {@code s} with NUL and other control characters shown as {@code \0} / {@code \xNN}. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c == 0 ? "\\0" : c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : String.valueOf((char) c)));
        return out.toString();
    }
}
