package dev.bhatti.sdk;

/** 503: the sandbox cannot serve now (not hot, waking, its agent gone); retrying may help. */
public final class UnavailableException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public UnavailableException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
