package dev.bhatti.sdk;

/** 426: the server wants another protocol for this request (an HTTP/2 request on the HTTP/1.1 port). */
public final class UpgradeRequiredException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public UpgradeRequiredException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
