package dev.bhatti.sdk;

import dev.bhatti.api.ErrorCode;

/**
 * A failed call: the HTTP status, the error code from the body and the daemon's message. Each
 * {@link ErrorCode.Family} has its own subclass ({@link NotFoundException}, {@link ConflictException}, …);
 * a failure before any answer (no connection, a broken one) is a {@link ConnectionException} with
 * status 0.
 */
public class BhattiException extends RuntimeException {
    private final int status;
    private final String rawCode;

    /** A failure with {@code status} (0: no answer), the wire code {@code rawCode} and {@code message}. */
    public BhattiException(int status, String rawCode, String message) {
        this(status, rawCode, message, null);
    }

    /** The same, with the exception that caused it. */
    public BhattiException(int status, String rawCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.rawCode = rawCode == null ? "" : rawCode;
    }

    /** The HTTP status of the answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /** The code of the catalogue, or {@code null} for one this SDK does not know (see {@link #rawCode()}). */
    public ErrorCode code() {
        return ErrorCode.of(rawCode).orElse(null);
    }

    /** The code as the daemon sent it ({@code sandbox_not_found}), or a client-side one ({@code connection_refused}). */
    public String rawCode() {
        return rawCode;
    }

    /** The exception for an error answer: the subclass of the code's family, else of the status. */
    static BhattiException of(int status, String rawCode, String message) {
        ErrorCode.Family family = ErrorCode.of(rawCode).map(ErrorCode::family).orElseGet(() -> family(status));
        if (family == null) {
            return new BhattiException(status, rawCode, message);
        }
        return switch (family) {
            case INVALID -> new InvalidRequestException(status, rawCode, message);
            case UNAUTHENTICATED -> new UnauthorizedException(status, rawCode, message);
            case FORBIDDEN -> new ForbiddenException(status, rawCode, message);
            case NOT_FOUND -> new NotFoundException(status, rawCode, message);
            case METHOD_NOT_ALLOWED -> new MethodNotAllowedException(status, rawCode, message);
            case CONFLICT -> new ConflictException(status, rawCode, message);
            case LENGTH_REQUIRED -> new LengthRequiredException(status, rawCode, message);
            case TOO_LARGE -> new PayloadTooLargeException(status, rawCode, message);
            case LIMITED -> new QuotaException(status, rawCode, message);
            case INTERNAL -> new InternalErrorException(status, rawCode, message);
            case UPSTREAM -> new UpstreamException(status, rawCode, message);
            case UNAVAILABLE -> new UnavailableException(status, rawCode, message);
            case INSUFFICIENT_STORAGE -> new InsufficientStorageException(status, rawCode, message);
            case URI_TOO_LONG -> new UriTooLongException(status, rawCode, message);
            case UPGRADE_REQUIRED -> new UpgradeRequiredException(status, rawCode, message);
            case HEADERS_TOO_LARGE -> new HeadersTooLargeException(status, rawCode, message);
            case TIMED_OUT -> new TimedOutException(status, rawCode, message);
        };
    }

    private static ErrorCode.Family family(int status) {
        for (ErrorCode.Family f : ErrorCode.Family.values()) {
            if (f.status() == status) {
                return f;
            }
        }
        return null;
    }
}
