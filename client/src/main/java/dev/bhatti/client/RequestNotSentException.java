package dev.bhatti.client;

import java.io.IOException;

/**
 * A request never reached the agent: connecting, authenticating or writing its request frame
 * failed (the client was closed, the VM went away), so the agent did not act on it and the caller
 * may retry it elsewhere. The message is the cause's.
 */
public final class RequestNotSentException extends IOException {
    public RequestNotSentException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
