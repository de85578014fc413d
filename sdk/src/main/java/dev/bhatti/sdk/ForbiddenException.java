package dev.bhatti.sdk;

/** 403: the key is known but the route is not for it (only the admin's key reads metrics). */
public final class ForbiddenException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public ForbiddenException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
