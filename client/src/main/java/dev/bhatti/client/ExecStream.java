package dev.bhatti.client;

import dev.bhatti.proto.FrameType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running piped exec with a two-way connection: output goes to the
 * listener from a reader thread of this handle, stdin and KILL go to the agent
 * from the caller. {@link #close()} drops the connection, which makes the agent
 * SIGKILL the process group, and unblocks {@link #await()}.
 */
public final class ExecStream implements AutoCloseable {
    private final AgentConnection conn;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private ExecStream(AgentConnection conn) {
        this.conn = conn;
    }

    /** Starts reading {@code conn} (request already sent) into {@code listener}. */
    static ExecStream start(AgentConnection conn, ExecListener listener) {
        ExecStream stream = new ExecStream(conn);
        Thread.ofVirtual().name("bhatti-exec-reader").start(() -> stream.read(listener));
        return stream;
    }

    private void read(ExecListener listener) {
        try {
            exit.complete(ExecFrames.pump(conn, listener));
        } catch (IOException | RuntimeException e) {
            exit.completeExceptionally(e);
        } finally {
            closeAfterEnd();
        }
    }

    /** Closes the finished connection; a close failure surfaces through {@link #await()} unless EXIT came first. */
    private void closeAfterEnd() {
        try {
            conn.close();
        } catch (IOException e) {
            exit.completeExceptionally(e);
        }
    }

    /** Feeds {@code data} to the child's stdin (in frames of at most 32 KiB); an empty array sends nothing. */
    public void writeStdin(byte[] data) throws IOException {
        conn.writeChunked(FrameType.STDIN, data, 0, data.length);
    }

    /** Closes the child's stdin (an empty STDIN frame). */
    public void closeStdin() throws IOException {
        conn.out().write(FrameType.STDIN, new byte[0]);
    }

    /** Asks the agent to SIGKILL the process group; {@link #await()} then answers 137. */
    public void kill() throws IOException {
        conn.out().write(FrameType.KILL);
    }

    /**
     * Waits for the exit code.
     *
     * @throws AgentException for the agent's ERROR (see {@link AgentException#isStartFailure()},
     *     {@link AgentException#isTimeout()})
     * @throws IOException when the connection failed or was closed before EXIT
     */
    public int await() throws IOException, InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** {@link #await()} with a deadline; on timeout the exec keeps running. */
    public int await(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        try {
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** True once EXIT, ERROR or a failure ended the stream. */
    public boolean isDone() {
        return exit.isDone();
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        return new IOException(cause);
    }

    /** Drops the connection: the agent kills the process group; a pending {@link #await()} fails. */
    @Override
    public void close() throws IOException {
        conn.close();
    }
}
