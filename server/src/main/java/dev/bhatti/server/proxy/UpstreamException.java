package dev.bhatti.server.proxy;

import java.io.IOException;

/** The upstream inside the sandbox could not be reached or answered garbage (the API answers 502). */
public final class UpstreamException extends IOException {
    public UpstreamException(String message) {
        super(message);
    }

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
