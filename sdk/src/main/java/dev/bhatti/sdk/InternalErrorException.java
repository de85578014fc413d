package dev.bhatti.sdk;

/** 500: an unexpected failure in the daemon; its log has details under the request id in the message. */
public final class InternalErrorException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public InternalErrorException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
