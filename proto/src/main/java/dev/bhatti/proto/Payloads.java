package dev.bhatti.proto;

/** Codecs of the fixed binary payloads: RESIZE, EXIT and CLOCK_SET. */
public final class Payloads {
    private Payloads() {}

    /** A terminal size. */
    public record WindowSize(int rows, int cols) {
        public WindowSize {
            if (rows < 0 || rows > 0xFFFF || cols < 0 || cols > 0xFFFF) {
                throw new IllegalArgumentException("window size must fit u16, got " + rows + "x" + cols);
            }
        }
    }

    /** RESIZE payload: u16 rows, u16 cols, big-endian. */
    public static byte[] resize(int rows, int cols) {
        WindowSize size = new WindowSize(rows, cols);
        return new byte[] {(byte) (size.rows() >>> 8), (byte) size.rows(), (byte) (size.cols() >>> 8), (byte) size.cols()};
    }

    /** Decodes a RESIZE payload; shorter than 4 bytes is invalid, extra bytes are ignored. */
    public static WindowSize resize(byte[] payload) throws ProtocolException {
        if (payload.length < 4) {
            throw new ProtocolException(ProtocolException.Reason.BAD_PAYLOAD,
                    "RESIZE payload needs 4 bytes, got " + payload.length);
        }
        return new WindowSize(u16(payload, 0), u16(payload, 2));
    }

    /** EXIT payload: i32 big-endian two's complement. */
    public static byte[] exit(int code) {
        return new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    /** Decodes an EXIT payload; shorter than 4 bytes is invalid, extra bytes are ignored. */
    public static int exit(byte[] payload) throws ProtocolException {
        if (payload.length < 4) {
            throw new ProtocolException(ProtocolException.Reason.BAD_PAYLOAD,
                    "EXIT payload needs 4 bytes, got " + payload.length);
        }
        return (payload[0] << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }

    /** CLOCK_SET payload: i64 nanoseconds since the unix epoch, big-endian. */
    public static byte[] clock(long epochNanos) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (epochNanos >>> (56 - 8 * i));
        }
        return b;
    }

    /** Decodes a CLOCK_SET payload; anything but exactly 8 bytes is invalid. */
    public static long clock(byte[] payload) throws ProtocolException {
        if (payload.length != 8) {
            throw new ProtocolException(ProtocolException.Reason.BAD_PAYLOAD,
                    "CLOCK_SET payload needs 8 bytes, got " + payload.length);
        }
        long v = 0;
        for (byte b : payload) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}
