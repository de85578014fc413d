package dev.bhatti.server.api;

/**
 * Every failure the API answers on purpose, each with a stable code; the HTTP status of each kind
 * is decided in exactly one place ({@link ErrorResponses}). Messages name what was attempted on which
 * resource.
 */
public abstract sealed class ApiException extends RuntimeException {
    private final String code;

    private ApiException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Malformed or invalid input (400). */
    public static final class Invalid extends ApiException {
        public Invalid(String code, String message) {
            super(code, message);
        }
    }

    /** Missing or unknown API key (401). */
    public static final class Unauthenticated extends ApiException {
        public Unauthenticated(String message) {
            super("unauthorized", message);
        }
    }

    /** No such resource for this user (404) — also what another user's resource looks like. */
    public static final class NotFound extends ApiException {
        public NotFound(String code, String message) {
            super(code, message);
        }
    }

    /** The request conflicts with current state (409): a taken name, an attached volume. */
    public static final class Conflict extends ApiException {
        public Conflict(String code, String message) {
            super(code, message);
        }
    }

    /** An upload without Content-Length (411). */
    public static final class LengthRequired extends ApiException {
        public LengthRequired(String message) {
            super("length_required", message);
        }
    }

    /** A body over its cap (413). */
    public static final class TooLarge extends ApiException {
        public TooLarge(String message) {
            super("payload_too_large", message);
        }
    }

    /** A quota or rate limit (429). */
    public static final class Limited extends ApiException {
        public Limited(String code, String message) {
            super(code, message);
        }
    }

    /** The sandbox cannot serve right now (503): its VM failed or its snapshot is unusable. */
    public static final class Unavailable extends ApiException {
        public Unavailable(String code, String message) {
            super(code, message);
        }
    }

    /** The upstream inside a sandbox could not be reached through the tunnel (502). */
    public static final class BadGateway extends ApiException {
        public BadGateway(String code, String message) {
            super(code, message);
        }
    }

    /** Too much is under way to take this request now; retry after {@link #retryAfterSec()} (503). */
    public static final class Busy extends ApiException {
        private final int retryAfterSec;

        public Busy(String code, String message, int retryAfterSec) {
            super(code, message);
            this.retryAfterSec = retryAfterSec;
        }

        public int retryAfterSec() {
            return retryAfterSec;
        }
    }

    /** The host's disk has too little free space for what the request would create (507). */
    public static final class InsufficientStorage extends ApiException {
        public InsufficientStorage(String code, String message) {
            super(code, message);
        }
    }

    /** A route exists but not for this method (405). */
    public static final class MethodNotAllowed extends ApiException {
        public MethodNotAllowed(String message) {
            super("method_not_allowed", message);
        }
    }
}
