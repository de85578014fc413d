package dev.bhatti.sdk;

/** 411: an upload without Content-Length. */
public final class LengthRequiredException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public LengthRequiredException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
