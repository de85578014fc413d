package dev.bhatti.agent.tty;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A session's scrollback: the last {@link RingBuffer#SCROLLBACK} bytes of its output, which stream
 * each byte came from (stdout or stderr), and the offset of every byte in the session's whole
 * output, so a client that reattaches can ask for only what it has not seen. Not thread-safe; the
 * owning session guards it.
 */
final class Scrollback {
    /** Consecutive bytes of one stream. */
    private static final class Run {
        final FrameType type;
        int length;

        Run(FrameType type, int length) {
            this.type = type;
            this.length = length;
        }
    }

    /** What an attach replays: the frames, and the offset of their first byte. */
    record Replay(List<Frame> frames, long from) {}

    private final RingBuffer bytes;
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    /** The sum of the runs' lengths: the bytes the ring holds. */
    private long kept;
    private long total;

    Scrollback(int capacity) {
        this.bytes = new RingBuffer(capacity);
    }

    Scrollback() {
        this(RingBuffer.SCROLLBACK);
    }

    /** Records {@code len} bytes of {@code type} (STDOUT or STDERR) output. */
    void write(FrameType type, byte[] buf, int len) {
        if (len <= 0) {
            return;
        }
        bytes.write(buf, 0, len);
        total += len;
        kept += len;
        Run last = runs.peekLast();
        if (last != null && last.type == type) {
            last.length += len;
        } else {
            runs.addLast(new Run(type, len));
        }
        long excess = kept - bytes.size();
        while (excess > 0) {
            Run first = runs.peekFirst();
            int cut = (int) Math.min(first.length, excess);
            first.length -= cut;
            excess -= cut;
            kept -= cut;
            if (first.length == 0) {
                runs.removeFirst();
            }
        }
    }

    /** Bytes of output since the session started, including those no longer kept. */
    long total() {
        return total;
    }

    /**
     * The kept output from offset {@code from} on (all of it for 0; what is still kept when
     * {@code from} is older), one frame per run of a stream (a merged session's scrollback is one
     * STDOUT frame).
     */
    Replay replay(long from) {
        long start = total - bytes.size();
        long first = Math.min(Math.max(from, start), total);
        byte[] all = bytes.snapshot();
        int skip = (int) (first - start);
        int pos = 0;
        List<Frame> frames = new ArrayList<>();
        for (Run r : runs) {
            int runStart = Math.max(pos, skip);
            int runEnd = pos + r.length;
            if (runStart < runEnd) {
                frames.add(Frame.of(r.type, Arrays.copyOfRange(all, runStart, runEnd)));
            }
            pos = runEnd;
        }
        return new Replay(frames, first);
    }
}
