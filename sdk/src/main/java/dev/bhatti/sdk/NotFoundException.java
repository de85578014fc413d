package dev.bhatti.sdk;

/** 404: no such sandbox, template, secret, volume, file, session or route for this user. */
public final class NotFoundException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public NotFoundException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
