package dev.bhatti.proto;

/** Protocol-wide constants (SPEC §1, §9). */
public final class Wire {
    /** Largest allowed value of the length field: type byte plus payload. */
    public static final int MAX_FRAME_LENGTH = 1 << 20;
    /** Bytes of the frame header: u32 length and the type byte. */
    public static final int HEADER_LENGTH = 5;
    /** Largest chunk of stream output (stdout, stderr, file content) per frame. */
    public static final int CHUNK_SIZE = 32 * 1024;
    /** Agent port for requests. */
    public static final int CONTROL_PORT = 1024;
    /** Agent port for raw port forwarding. */
    public static final int FORWARD_PORT = 1025;

    static final byte[] EMPTY = new byte[0];

    private Wire() {}
}
