package dev.bhatti.agent.files;

import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import dev.bhatti.proto.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Streams file content as STDOUT frames of at most {@link Wire#CHUNK_SIZE} bytes, one chunk in
 * memory at a time. Read failures are {@link FileProblem}s; write failures (the peer is gone)
 * propagate as {@link IOException} and end the transfer at once.
 */
final class ContentStream {
    private final InputStream file;
    private final String shown;
    private final FrameWriter out;

    ContentStream(InputStream file, String shown, FrameWriter out) {
        this.file = file;
        this.shown = shown;
        this.out = out;
    }

    /** Sends the whole file, or only the window's part of it; nothing at all for empty content. */
    void send(Optional<LineWindow> window) throws IOException, FileProblem {
        byte[] chunk = new byte[Wire.CHUNK_SIZE];
        for (int n = fill(chunk); n > 0; n = fill(chunk)) {
            if (window.isEmpty()) {
                out.write(FrameType.STDOUT, chunk, 0, n);
                continue;
            }
            LineWindow.Slice slice = window.get().select(chunk, n);
            if (slice.length() > 0) {
                out.write(FrameType.STDOUT, chunk, slice.start(), slice.length());
            }
            if (window.get().done()) {
                return;
            }
        }
    }

    private int fill(byte[] chunk) throws FileProblem {
        try {
            return file.readNBytes(chunk, 0, chunk.length);
        } catch (IOException e) {
            throw new FileProblem(shown + ": read failed: " + e.getMessage(), e);
        }
    }
}
