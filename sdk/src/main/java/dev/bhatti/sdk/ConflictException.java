package dev.bhatti.sdk;

/** 409: the request conflicts with the current state (a name taken, a volume attached, a failed sandbox). */
public final class ConflictException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public ConflictException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
