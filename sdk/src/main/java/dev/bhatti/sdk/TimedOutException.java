package dev.bhatti.sdk;

/** 504: the operation ran past its time limit (an exec's timeout_sec) and was stopped. */
public final class TimedOutException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public TimedOutException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
