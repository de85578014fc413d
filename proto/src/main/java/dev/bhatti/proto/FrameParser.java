package dev.bhatti.proto;

import java.nio.ByteBuffer;

/** Inspects buffered bytes for a whole frame without consuming them. */
public final class FrameParser {
    private FrameParser() {}

    /** What {@link #tryParse} found at the buffer's position. */
    public sealed interface Result {
        /** Not enough bytes yet for a whole frame. */
        record Incomplete() implements Result {}

        /** The header announces a length of 0 or over the limit; the buffer can never become a frame. */
        record Invalid(long length) implements Result {}

        /**
         * A whole frame: its type byte, where its payload starts relative to the
         * buffer's position (always {@link Wire#HEADER_LENGTH}) and how many bytes it spans in all.
         */
        record Complete(int type, int payloadOffset, int totalLength) implements Result {
            public int payloadLength() {
                return totalLength - payloadOffset;
            }
        }
    }

    private static final Result INCOMPLETE = new Result.Incomplete();

    /**
     * Looks at {@code buffer} from its position to its limit; never changes the
     * buffer and never throws for any content.
     */
    public static Result tryParse(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.limit() - start < Wire.HEADER_LENGTH) {
            return INCOMPLETE;
        }
        long length = buffer.getInt(start) & 0xFFFFFFFFL;
        if (length == 0 || length > Wire.MAX_FRAME_LENGTH) {
            return new Result.Invalid(length);
        }
        int total = Wire.HEADER_LENGTH - 1 + (int) length;
        if (buffer.limit() - start < total) {
            return INCOMPLETE;
        }
        return new Result.Complete(buffer.get(start + 4) & 0xFF, Wire.HEADER_LENGTH, total);
    }
}
