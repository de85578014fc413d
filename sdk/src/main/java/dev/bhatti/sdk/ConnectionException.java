package dev.bhatti.sdk;

/**
 * No answer from the daemon: it refused the connection ({@code connection_refused}), the connection
 * broke ({@code connection_failed}), the URL is not usable ({@code invalid_url}), or the answer was
 * not the API's ({@code bad_response}). {@link #status()} is 0.
 */
public final class ConnectionException extends BhattiException {
    /** A failure with the client-side code {@code rawCode}. */
    public ConnectionException(String rawCode, String message, Throwable cause) {
        super(0, rawCode, message, cause);
    }
}
