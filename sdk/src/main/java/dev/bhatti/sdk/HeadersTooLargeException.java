package dev.bhatti.sdk;

/** 431: the request headers are over the server's limit. */
public final class HeadersTooLargeException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public HeadersTooLargeException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
