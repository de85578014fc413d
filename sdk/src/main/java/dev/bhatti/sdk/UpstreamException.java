package dev.bhatti.sdk;

/** 502: the service inside the sandbox is unreachable or broke the connection. */
public final class UpstreamException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public UpstreamException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
