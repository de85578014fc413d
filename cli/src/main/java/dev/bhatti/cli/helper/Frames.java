package dev.bhatti.cli.helper;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The helper protocol's framing (docs/cli-helper.md): a frame is one type byte, a 4-byte
 * big-endian payload length and the payload. Frames from the client: {@link #HELLO}, {@link #STDIN}
 * (empty: end of input), {@link #STOP}, {@link #STATUS}. Frames to the client: {@link #STDOUT},
 * {@link #STDERR}, {@link #WANT_STDIN}, {@link #EXIT} (4-byte code), {@link #FALLBACK}.
 */
public final class Frames {
    public static final byte HELLO = 'H';
    public static final byte STDIN = 'I';
    public static final byte STOP = 'Q';
    public static final byte STATUS = 'P';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte WANT_STDIN = 'S';
    public static final byte EXIT = 'X';
    public static final byte FALLBACK = 'F';
    /** The version the hello's first field names; a client of another version is sent {@link #FALLBACK}. */
    public static final String VERSION = "1";
    /** Frames larger than this are a protocol error (a client sends stdin in 64 KiB pieces). */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private Frames() {}

    /** One frame as read. */
    public record Frame(byte type, byte[] payload) {
        /** The payload as UTF-8 fields, each ended by a NUL (the hello). */
        public List<String> fields() {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < payload.length; i++) {
                if (payload[i] == 0) {
                    out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < payload.length) {
                out.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    /** The next frame; {@code null} at a clean end of the stream. */
    public static Frame read(InputStream in) throws IOException {
        int type = in.read();
        if (type == -1) {
            return null;
        }
        DataInputStream data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            throw new IOException("helper protocol: frame cut short");
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("helper protocol: frame of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        data.readFully(payload);
        return new Frame((byte) type, payload);
    }

    /** Writes one frame and flushes; callers that share {@code out} between threads lock it. */
    public static void write(OutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        out.write(ByteBuffer.allocate(5).put(type).putInt(length).array());
        out.write(payload, offset, length);
        out.flush();
    }

    public static void write(OutputStream out, byte type, byte[] payload) throws IOException {
        write(out, type, payload, 0, payload.length);
    }

    /** UTF-8 fields, each ended by a NUL: the hello's payload. */
    public static byte[] fields(List<String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach(f -> b.append(f).append('\0'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An exit frame's payload. */
    public static byte[] exitCode(int code) {
        return ByteBuffer.allocate(4).putInt(code).array();
    }
}
