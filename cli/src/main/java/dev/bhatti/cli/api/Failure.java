package dev.bhatti.cli.api;

import dev.bhatti.sdk.BhattiException;

/** A failure of the CLI itself (stdin, a local file, a lost shell), reported like an API error. */
public final class Failure {
    private Failure() {}

    /** A failure with the CLI's own {@code code} (for hints) and {@code message}. */
    public static BhattiException of(String code, String message) {
        return new BhattiException(0, code, message);
    }
}
