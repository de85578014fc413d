package dev.bhatti.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An {@link ExecListener} that keeps stdout and stderr in memory, together at
 * most {@code cap} bytes (SPEC §9: 10 MiB). Bytes beyond the cap are dropped
 * (the exec still runs to its end) and each stream that lost bytes gets
 * {@link #MARKER} appended, so a result can exceed the cap by the marker's length.
 * Not thread-safe: fed by one exec's reader.
 */
public final class CappedOutput implements ExecListener {
    /** Combined stdout+stderr kept by a buffered exec. */
    public static final int DEFAULT_CAP = 10 << 20;
    /** Appended to a stream that lost bytes to the default cap. */
    public static final String MARKER = marker(DEFAULT_CAP);

    private final int cap;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private boolean stdoutLost;
    private boolean stderrLost;

    public CappedOutput() {
        this(DEFAULT_CAP);
    }

    /** Keeps at most {@code cap} bytes; the marker names this cap ({@link #marker(int)}). */
    public CappedOutput(int cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap must be >= 0, got " + cap);
        }
        this.cap = cap;
    }

    @Override
    public void onStdout(byte[] data) {
        stdoutLost |= keep(stdout, data);
    }

    @Override
    public void onStderr(byte[] data) {
        stderrLost |= keep(stderr, data);
    }

    /** The marker appended for {@code cap}, e.g. {@code "\n[output truncated at 10 MiB]\n"}. */
    public static String marker(int cap) {
        String size = cap % (1 << 20) == 0 ? (cap >> 20) + " MiB" : cap + " bytes";
        return "\n[output truncated at " + size + "]\n";
    }

    /** Appends what fits under the cap; answers whether anything was dropped. */
    private boolean keep(ByteArrayOutputStream into, byte[] data) {
        int room = Math.max(0, cap - stdout.size() - stderr.size());
        int kept = Math.min(room, data.length);
        into.write(data, 0, kept);
        return kept < data.length;
    }

    /** True once any byte was dropped. */
    public boolean truncated() {
        return stdoutLost || stderrLost;
    }

    /** Stdout so far, with the marker when it lost bytes. */
    public byte[] stdout() {
        return withMarker(stdout, stdoutLost);
    }

    /** Stderr so far, with the marker when it lost bytes. */
    public byte[] stderr() {
        return withMarker(stderr, stderrLost);
    }

    private byte[] withMarker(ByteArrayOutputStream kept, boolean lost) {
        if (!lost) {
            return kept.toByteArray();
        }
        byte[] marker = marker(cap).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(kept.size() + marker.length);
        out.writeBytes(kept.toByteArray());
        out.writeBytes(marker);
        return out.toByteArray();
    }

    /** The result of an exec that ended with {@code exitCode}. */
    public ExecResult result(int exitCode) {
        return new ExecResult(exitCode, stdout(), stderr(), truncated(), false, false);
    }

    /** The result of an exec the agent ended with ERROR: 127 for a start failure, 124 for a timeout. */
    ExecResult failed(AgentException error) throws AgentException {
        if (!error.isStartFailure() && !error.isTimeout()) {
            throw error;
        }
        byte[] reason = (error.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        err.writeBytes(stderr());
        err.writeBytes(reason);
        return error.isStartFailure()
                ? new ExecResult(ExecResult.START_FAILED_EXIT, stdout(), err.toByteArray(), truncated(), false, true)
                : new ExecResult(ExecResult.TIMED_OUT_EXIT, stdout(), err.toByteArray(), truncated(), true, false);
    }
}
