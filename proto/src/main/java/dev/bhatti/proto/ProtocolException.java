package dev.bhatti.proto;

import java.io.IOException;

/** A peer broke the framing or sent a payload that does not decode. */
public class ProtocolException extends IOException {
    /** What went wrong, stable for callers to branch on. */
    public enum Reason {
        /** The stream ended inside a header or payload. */
        UNEXPECTED_END,
        /** A length of 0. */
        INVALID_LENGTH,
        /** A length above {@link Wire#MAX_FRAME_LENGTH}, on read or write. */
        FRAME_TOO_LARGE,
        /** A payload that does not decode as its frame type requires. */
        BAD_PAYLOAD,
        /** A frame the conversation did not expect at this point. */
        UNEXPECTED_FRAME
    }

    private final Reason reason;

    public ProtocolException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ProtocolException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
