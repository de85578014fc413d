package dev.bhatti.sdk;

/** 401: no API key, or one the daemon does not know. */
public final class UnauthorizedException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public UnauthorizedException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
