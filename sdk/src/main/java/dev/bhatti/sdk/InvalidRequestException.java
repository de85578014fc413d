package dev.bhatti.sdk;

/** 400: the request is wrong (a bad field, name, path…); nothing was changed. */
public final class InvalidRequestException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public InvalidRequestException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
