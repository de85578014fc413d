package dev.bhatti.sdk;

/** 429: a quota is used up, or too many requests (retry later). */
public final class QuotaException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public QuotaException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
