package dev.bhatti.client;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.ProtocolException;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An interactive session stream (SPEC §2.4): a TTY or piped session created by,
 * or attached to with, one EXEC_REQ. The agent's frames are read by a
 * background thread into a small bounded queue (so a slow reader slows the
 * stream down rather than buffering without limit) and handed out by
 * {@link #read()}; one thread reads at a time. Inside this stream an unknown
 * frame type is an error (SPEC §1.1). {@link #close()} detaches: the session's
 * process keeps running and can be attached again.
 */
public final class Terminal implements AutoCloseable {
    private static final int QUEUE_FRAMES = 64;
    private static final long OFFER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** What {@link #read()} answers, in stream order. */
    public sealed interface Event {
        /** Terminal output (for an attach, the first one is the whole scrollback). */
        record Output(byte[] data) implements Event {}

        /** A piped session's stderr, for a session started with {@code stderr_apart}. */
        record Stderr(byte[] data) implements Event {}

        /**
         * The session's process exited with {@code code}, or, with code 0, another client took the
         * session over; nothing follows.
         */
        record Exit(int code) implements Event {}

        /** The stream ended without an exit: the agent closed the connection or this side closed it. */
        record Closed() implements Event {}
    }

    /** What the reader thread queues: an event, or the failure that ended the stream. */
    private sealed interface Item {
        record Next(Event event) implements Item {}
        record Failed(IOException error) implements Item {}
    }

    private static final Event.Closed CLOSED = new Event.Closed();

    private final AgentConnection conn;
    private final SessionInfo info;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private volatile boolean ended;
    private volatile boolean detached;

    private Terminal(AgentConnection conn, SessionInfo info) {
        this.conn = conn;
        this.info = info;
    }

    /** Reads the stream's first frame (SESSION_INFO, or the agent's ERROR) and starts the reader. */
    static Terminal open(AgentConnection conn) throws IOException {
        Frame first = conn.nextRaw().orElseThrow(() -> new ProtocolException(ProtocolException.Reason.UNEXPECTED_END,
                "agent closed the connection before SESSION_INFO"));
        if (!first.is(FrameType.SESSION_INFO)) {
            throw first.kind().isEmpty() ? unknown(first) : AgentConnection.unexpected(first, "session start");
        }
        Terminal terminal = new Terminal(conn, Json.decode(first.payload(), SessionInfo.class));
        Thread.ofVirtual().name("bhatti-terminal-reader").start(terminal::pump);
        return terminal;
    }

    private static ProtocolException unknown(Frame f) {
        return new ProtocolException(ProtocolException.Reason.UNEXPECTED_FRAME,
                "unknown frame type 0x" + Integer.toHexString(f.type()) + " in a terminal stream");
    }

    private void pump() {
        Item last;
        try {
            last = pumpUntilEnd();
        } catch (IOException e) {
            last = conn.isOpen() ? new Item.Failed(e) : new Item.Next(CLOSED);
        }
        enqueue(last);
        try {
            conn.close();
        } catch (IOException e) {
            enqueue(new Item.Failed(e));
        }
    }

    /** Queues output until the stream's last item, which it returns. */
    private Item pumpUntilEnd() throws IOException {
        while (true) {
            Optional<Frame> next = conn.nextRaw();
            if (next.isEmpty()) {
                return new Item.Next(CLOSED);
            }
            Frame f = next.get();
            if (f.kind().isEmpty()) {
                return new Item.Failed(unknown(f));
            }
            switch (f.kind().get()) {
                case STDOUT -> enqueue(new Item.Next(new Event.Output(f.payload())));
                case STDERR -> enqueue(new Item.Next(new Event.Stderr(f.payload())));
                case EXIT -> {
                    return new Item.Next(new Event.Exit(Payloads.exit(f.payload())));
                }
                default -> {
                    return new Item.Failed(AgentConnection.unexpected(f, "session " + info.sessionId()));
                }
            }
        }
    }

    /** Waits for room in the queue; gives up once this side has closed the stream. */
    private void enqueue(Item item) {
        try {
            while (!queue.offer(item, OFFER_NANOS, TimeUnit.NANOSECONDS)) {
                if (detached) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The session as the agent reported it when the stream started. */
    public SessionInfo info() {
        return info;
    }

    public String sessionId() {
        return info.sessionId();
    }

    /**
     * The next event, blocking. After {@link Event.Exit} or {@link Event.Closed}, and after
     * {@link #close()}, every call answers {@link Event.Closed} at once.
     *
     * @throws AgentException for the agent's ERROR
     * @throws ProtocolException for an unknown or out-of-place frame
     */
    public Event read() throws IOException, InterruptedException {
        return ended || detached ? CLOSED : unwrap(queue.take());
    }

    /** {@link #read()} with a deadline: empty when nothing arrived in time. */
    public Optional<Event> read(Duration timeout) throws IOException, InterruptedException {
        if (ended || detached) {
            return Optional.of(CLOSED);
        }
        Item item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return item == null ? Optional.empty() : Optional.of(unwrap(item));
    }

    private Event unwrap(Item item) throws IOException {
        switch (item) {
            case Item.Failed f -> {
                ended = true;
                throw f.error();
            }
            case Item.Next n -> {
                if (!(n.event() instanceof Event.Output || n.event() instanceof Event.Stderr)) {
                    ended = true;
                }
                return n.event();
            }
        }
    }

    /** Sends keystrokes or input (frames of at most 32 KiB). */
    public void write(byte[] data) throws IOException {
        conn.writeChunked(FrameType.STDIN, data, 0, data.length);
    }

    /** Closes a piped session's stdin (empty STDIN frame); a TTY session ignores it. */
    public void closeStdin() throws IOException {
        conn.out().write(FrameType.STDIN, new byte[0]);
    }

    /** Changes the PTY's window size. */
    public void resize(int rows, int cols) throws IOException {
        conn.out().write(FrameType.RESIZE, Payloads.resize(rows, cols));
    }

    /** Sends KILL: SIGTERM to the session's process group. */
    public void kill() throws IOException {
        conn.out().write(FrameType.KILL);
    }

    /** Detaches: closes the connection; the session keeps running; pending and later reads answer Closed. */
    @Override
    public void close() throws IOException {
        detached = true;
        conn.close();
    }
}
