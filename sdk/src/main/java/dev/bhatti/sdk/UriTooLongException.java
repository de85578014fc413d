package dev.bhatti.sdk;

/** 414: the request line (path and query) is over the server's limit. */
public final class UriTooLongException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public UriTooLongException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
