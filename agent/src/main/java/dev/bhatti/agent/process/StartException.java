package dev.bhatti.agent.process;

import java.io.IOException;

/** A program that could not be started; the message is what the host sees, {@code "start: <reason>"}. */
public final class StartException extends IOException {
    public StartException(String message) {
        super(message);
    }
}
