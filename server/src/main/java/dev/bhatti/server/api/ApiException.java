package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Every failure the API answers on purpose: an {@link ErrorCode} (which fixes the HTTP status) and
 * a message that names what was attempted on which resource. {@link ErrorResponses} turns it into
 * the response.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final OptionalInt retryAfterSec;

    public ApiException(ErrorCode code, String message) {
        this(code, message, OptionalInt.empty());
    }

    /** A failure worth retrying after {@code retryAfterSec} seconds (the {@code Retry-After} header). */
    public ApiException(ErrorCode code, String message, int retryAfterSec) {
        this(code, message, OptionalInt.of(retryAfterSec));
    }

    private ApiException(ErrorCode code, String message, OptionalInt retryAfterSec) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterSec = retryAfterSec;
    }

    public ErrorCode code() {
        return code;
    }

    public OptionalInt retryAfterSec() {
        return retryAfterSec;
    }
}
