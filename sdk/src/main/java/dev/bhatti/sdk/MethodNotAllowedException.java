package dev.bhatti.sdk;

/** 405: the path exists but not with this method. */
public final class MethodNotAllowedException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public MethodNotAllowedException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
