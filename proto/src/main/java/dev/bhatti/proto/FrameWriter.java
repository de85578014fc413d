package dev.bhatti.proto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a stream. Each frame goes out in a single {@code write}
 * call under a lock, so concurrent writers on one connection never interleave.
 * A frame over the limit is refused before anything is written.
 */
public final class FrameWriter implements AutoCloseable {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), 0, frame.payload().length);
    }

    public void write(FrameType type) throws IOException {
        write(type.code(), Wire.EMPTY, 0, 0);
    }

    public void write(FrameType type, byte[] payload) throws IOException {
        write(type.code(), payload, 0, payload.length);
    }

    public void write(FrameType type, byte[] buf, int off, int len) throws IOException {
        write(type.code(), buf, off, len);
    }

    /** Writes one frame of a raw type byte; {@code len} bytes of {@code buf} from {@code off}. */
    public void write(int type, byte[] buf, int off, int len) throws IOException {
        writeWhole(encode(type, buf, off, len));
    }

    /**
     * Writes {@code before} (whole encoded frames, e.g. AUTH) and then one frame, in a single
     * {@code write}: the agent gets both in one segment and wakes once (decision 0025).
     */
    public void writeAfter(byte[] before, int type, byte[] buf, int off, int len) throws IOException {
        byte[] frame = encode(type, buf, off, len);
        byte[] both = java.util.Arrays.copyOf(before, before.length + frame.length);
        System.arraycopy(frame, 0, both, before.length, frame.length);
        writeWhole(both);
    }

    /** One {@code write} and flush under the lock, so concurrent writers never interleave. */
    private void writeWhole(byte[] bytes) throws IOException {
        lock.lock();
        try {
            out.write(bytes);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Encodes {@code value} as JSON and writes it as one frame of {@code type}. */
    public void sendJson(FrameType type, Object value) throws IOException {
        write(type, Json.encode(value));
    }

    /** Writes an ERROR frame with a UTF-8 message. */
    public void error(String message) throws IOException {
        write(FrameType.ERROR, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an EXIT frame. */
    public void exit(int code) throws IOException {
        write(FrameType.EXIT, Payloads.exit(code));
    }

    /** The bytes of one frame: header and payload. */
    public static byte[] encode(int type, byte[] buf, int off, int len) throws ProtocolException {
        long length = (long) len + 1;
        if (length > Wire.MAX_FRAME_LENGTH) {
            throw new ProtocolException(ProtocolException.Reason.FRAME_TOO_LARGE,
                    "refusing to write a frame of length " + length + " (limit " + Wire.MAX_FRAME_LENGTH + ")");
        }
        byte[] frame = new byte[Wire.HEADER_LENGTH + len];
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        frame[4] = (byte) type;
        System.arraycopy(buf, off, frame, Wire.HEADER_LENGTH, len);
        return frame;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
