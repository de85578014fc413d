package dev.bhatti.sdk;

/** 413: a body over its cap. */
public final class PayloadTooLargeException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public PayloadTooLargeException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
