package dev.bhatti.client;

import dev.bhatti.proto.FileReadResponse;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.Payloads;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's content streamed from the agent as it is read: frames are pulled
 * from the connection only as the caller consumes bytes, so at most one 32 KiB
 * chunk is held. The stream ends at the agent's EXIT(0). Closing it early
 * drops the connection, which stops the agent's transfer; closing it from
 * another thread unblocks a pending read.
 */
public final class FileReadStream extends InputStream {
    private static final byte[] NONE = new byte[0];

    private final AgentConnection conn;
    private final FileReadResponse response;
    private final String path;
    private byte[] chunk = NONE;
    private int pos;
    private boolean done;

    FileReadStream(AgentConnection conn, FileReadResponse response, String path) {
        this.conn = conn;
        this.response = response;
        this.path = path;
    }

    /** The file's total size and mode (the total, even for a truncated read). */
    public FileReadResponse response() {
        return response;
    }

    @Override
    public int read() throws IOException {
        return fill() ? chunk[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return chunk.length - pos;
    }

    /** Makes bytes available; false at the end of the content. */
    private boolean fill() throws IOException {
        while (pos == chunk.length) {
            if (done) {
                return false;
            }
            Frame f = conn.next("read of " + path);
            switch (f.kind().orElseThrow()) {
                case STDOUT -> {
                    chunk = f.payload();
                    pos = 0;
                }
                case EXIT -> {
                    FileOps.requireZeroExit(Payloads.exit(f.payload()), path);
                    done = true;
                    conn.close();
                }
                default -> throw AgentConnection.unexpected(f, "read of " + path);
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        done = true;
        chunk = NONE;
        pos = 0;
        conn.close();
    }
}
