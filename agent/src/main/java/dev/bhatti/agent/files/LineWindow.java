package dev.bhatti.agent.files;

import dev.bhatti.proto.FileReadRequest;

/**
 * The part of a file a truncated read returns (SPEC §2.5): from the 1-based line
 * {@code firstLine}, at most {@code maxLines} lines and at most {@code maxBytes} bytes,
 * whichever ends first. Fed the file chunk by chunk; keeps its position between chunks.
 * A final line without a newline counts as a line.
 */
final class LineWindow {
    /** The selected bytes of one chunk: {@code [start, end)}. */
    record Slice(int start, int end) {
        int length() {
            return end - start;
        }
    }

    private final long firstLine;
    private final long maxLines;
    private final long maxBytes;
    private long line = 1;
    private long linesTaken;
    private long bytesTaken;

    LineWindow(long firstLine, long maxLines, long maxBytes) {
        this.firstLine = Math.max(1, firstLine);
        this.maxLines = maxLines > 0 ? maxLines : Long.MAX_VALUE;
        this.maxBytes = maxBytes > 0 ? maxBytes : Long.MAX_VALUE;
    }

    /** The window a request asks for; absent or non-positive values mean "no limit" (offset: line 1). */
    static LineWindow of(FileReadRequest request) {
        return new LineWindow(orZero(request.offset()), orZero(request.limit()), orZero(request.maxBytes()));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** Skips the lines before the window, then takes bytes until a limit is reached or the chunk ends. */
    Slice select(byte[] chunk, int length) {
        int i = 0;
        while (i < length && line < firstLine) {
            if (chunk[i++] == '\n') {
                line++;
            }
        }
        int start = i;
        while (i < length && !done()) {
            bytesTaken++;
            if (chunk[i++] == '\n') {
                line++;
                linesTaken++;
            }
        }
        return new Slice(start, i);
    }

    /** True once a limit is reached: nothing more will be selected. */
    boolean done() {
        return linesTaken >= maxLines || bytesTaken >= maxBytes;
    }
}
