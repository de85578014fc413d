package dev.bhatti.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One frame: a type byte and its payload. The type is kept as the raw byte so
 * that frames of types this side does not know can still be read and skipped.
 */
public record Frame(int type, byte[] payload) {
    public Frame {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("frame type must be a byte, got " + type);
        }
        payload = payload == null ? Wire.EMPTY : payload;
        if (payload.length > Wire.MAX_FRAME_LENGTH - 1) {
            throw new IllegalArgumentException("frame payload of " + payload.length + " bytes exceeds the "
                    + Wire.MAX_FRAME_LENGTH + "-byte frame limit");
        }
    }

    public static Frame of(FrameType type, byte[] payload) {
        return new Frame(type.code(), payload);
    }

    public static Frame of(FrameType type) {
        return new Frame(type.code(), Wire.EMPTY);
    }

    /** The known type, or empty for a type byte this side does not know. */
    public Optional<FrameType> kind() {
        return FrameType.of(type);
    }

    public boolean is(FrameType t) {
        return type == t.code();
    }

    /** The payload decoded as UTF-8 (ERROR messages). */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[" + kind().map(Enum::name).orElse("0x" + Integer.toHexString(type)) + ", "
                + payload.length + " bytes]";
    }
}
