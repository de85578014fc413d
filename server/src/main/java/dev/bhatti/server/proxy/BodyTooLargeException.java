package dev.bhatti.server.proxy;

import java.io.IOException;

/** A proxied request body over the cap (the API answers 413). */
public final class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long max) {
        super("request body is larger than " + (max >> 20) + " MiB");
    }
}
