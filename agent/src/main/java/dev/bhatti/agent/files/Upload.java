package dev.bhatti.agent.files;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.ProtocolException;
import java.io.IOException;
import java.util.Optional;

/**
 * The content of one FILE_WRITE: exactly {@code size} bytes as STDIN frames. More bytes, or
 * another frame type, is a {@link FileProblem}; the stream ending early is a lost connection
 * ({@link IOException}). Every STDIN frame counts as activity. A trailing empty STDIN frame
 * (EOF marker) that has already arrived is consumed, so closing does not discard unread input.
 */
final class Upload {
    private final Connection conn;
    private final Activity activity;
    private final long size;
    private final String shown;

    Upload(Connection conn, Activity activity, long size, String shown) {
        this.conn = conn;
        this.activity = activity;
        this.size = size;
        this.shown = shown;
    }

    void receiveInto(AtomicFile file) throws IOException, FileProblem {
        long received = 0;
        while (received < size) {
            Frame frame = nextStdin(received);
            int length = frame.payload().length;
            if (length == 0) {
                throw new FileProblem(shown + ": content ended after " + received + " of " + size + " bytes");
            }
            if (length > size - received) {
                throw tooMuch();
            }
            store(file, frame.payload());
            received += length;
        }
        consumeTrailingEof();
    }

    private Frame nextStdin(long received) throws IOException, FileProblem {
        Optional<Frame> next = conn.in().next();
        if (next.isEmpty()) {
            throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_END,
                    "connection closed after " + received + " of " + size + " bytes of " + shown);
        }
        Frame frame = next.get();
        if (!frame.is(FrameType.STDIN)) {
            throw new FileProblem(shown + ": expected STDIN frames with the content, got " + frame);
        }
        activity.touch();
        return frame;
    }

    private void store(AtomicFile file, byte[] chunk) throws FileProblem {
        try {
            file.write(chunk, 0, chunk.length);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    /** Without blocking on an idle client: only a frame that has already (partly) arrived is read. */
    private void consumeTrailingEof() throws IOException, FileProblem {
        if (conn.rawInput().available() == 0) {
            return;
        }
        Frame frame = nextStdin(size);
        if (frame.payload().length > 0) {
            throw tooMuch();
        }
    }

    private FileProblem tooMuch() {
        return new FileProblem(shown + ": received more than the announced " + size + " bytes");
    }
}
