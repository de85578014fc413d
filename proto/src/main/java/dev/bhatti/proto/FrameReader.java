package dev.bhatti.proto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads frames from a stream. A clean end of stream (nothing left) answers
 * empty; a stream that ends inside a header or payload is a
 * {@link ProtocolException.Reason#UNEXPECTED_END}. A header announcing a
 * length of 0 or over the limit is refused before any payload is read.
 */
public final class FrameReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] header = new byte[Wire.HEADER_LENGTH];

    public FrameReader(InputStream in) {
        this.in = in;
    }

    /** The next frame, or empty at a clean end of stream. */
    public Optional<Frame> next() throws IOException {
        int got = in.readNBytes(header, 0, Wire.HEADER_LENGTH);
        if (got == 0) {
            return Optional.empty();
        }
        if (got < Wire.HEADER_LENGTH) {
            throw unexpectedEnd("header", got, Wire.HEADER_LENGTH);
        }
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFFL) << 16)
                | ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
        checkLength(length);
        int payloadLength = (int) length - 1;
        byte[] payload = in.readNBytes(payloadLength);
        if (payload.length < payloadLength) {
            throw unexpectedEnd("payload", payload.length, payloadLength);
        }
        return Optional.of(new Frame(header[4] & 0xFF, payload));
    }

    /** The next frame; a clean end of stream is an {@link ProtocolException.Reason#UNEXPECTED_END} here. */
    public Frame require() throws IOException {
        return next().orElseThrow(() -> new ProtocolException(ProtocolException.Reason.UNEXPECTED_END,
                "connection closed before the expected frame"));
    }

    static void checkLength(long length) throws ProtocolException {
        if (length == 0) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_LENGTH, "frame length 0 is invalid");
        }
        if (length > Wire.MAX_FRAME_LENGTH) {
            throw new ProtocolException(ProtocolException.Reason.FRAME_TOO_LARGE,
                    "frame length " + length + " exceeds the limit of " + Wire.MAX_FRAME_LENGTH);
        }
    }

    private static ProtocolException unexpectedEnd(String part, int got, int wanted) {
        return new ProtocolException(ProtocolException.Reason.UNEXPECTED_END,
                "unexpected end of stream in frame " + part + " (" + got + " of " + wanted + " bytes)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
