package dev.bhatti.client;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.ProtocolException;
import dev.bhatti.proto.Wire;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection to the agent, for one operation: frame reader and writer over
 * a blocking channel. Closing is idempotent, may happen from any thread and
 * unblocks a reader (it then fails with an I/O error).
 */
final class AgentConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final FrameReader in;
    private final FrameWriter out;
    private final Consumer<AgentConnection> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** AUTH, encoded, until the request frame carries it out. */
    private byte[] pendingAuth;
    /** How long {@link #explain} waits for an ERROR the agent may have sent before closing. */
    private static final java.time.Duration EXPLAIN_WAIT = java.time.Duration.ofSeconds(2);

    /**
     * @param buffered read through a buffer; false for a connection that stops framing
     *     (forward), where the reader must not consume bytes past the last frame
     */
    AgentConnection(SocketChannel channel, boolean buffered, Consumer<AgentConnection> onClose) {
        this.channel = channel;
        InputStream raw = Channels.newInputStream(channel);
        this.in = new FrameReader(buffered ? new BufferedInputStream(raw, 64 * 1024) : raw);
        this.out = new FrameWriter(Channels.newOutputStream(channel));
        this.onClose = onClose;
    }

    SocketChannel channel() {
        return channel;
    }

    FrameWriter out() {
        return out;
    }

    /**
     * AUTH with the token's UTF-8 bytes, when there is a token: it goes out with the request frame,
     * in the same write (every connection sends one right after).
     */
    void authenticate(Optional<String> token) throws IOException {
        if (token.isPresent()) {
            byte[] auth = token.get().getBytes(StandardCharsets.UTF_8);
            pendingAuth = FrameWriter.encode(FrameType.AUTH.code(), auth, 0, auth.length);
        }
    }

    /** Sends one request frame with an empty payload; see {@link #explain} for a write that fails. */
    void send(FrameType type) throws IOException {
        sendBytes(type, new byte[0]);
    }

    /** Sends one request frame with a binary payload (after AUTH); see {@link #explain} for a write that fails. */
    void sendBytes(FrameType type, byte[] payload) throws IOException {
        try {
            byte[] auth = pendingAuth;
            pendingAuth = null;
            if (auth == null) {
                out.write(type, payload);
            } else {
                out.writeAfter(auth, type.code(), payload, 0, payload.length);
            }
        } catch (IOException e) {
            throw explain(e);
        }
    }

    /** Sends one JSON request frame; see {@link #explain} for a write that fails. */
    void send(FrameType type, Object request) throws IOException {
        sendBytes(type, Json.encode(request));
    }

    /**
     * What a failed write means: when the agent answered with ERROR and closed (refused auth,
     * refused a file write), that ERROR as an {@link AgentException}; otherwise {@code writeFailure}.
     */
    IOException explain(IOException writeFailure) {
        try (Watchdog bound = Watchdog.arm(EXPLAIN_WAIT, this)) {
            Optional<Frame> pending = in.next().filter(f -> f.is(FrameType.ERROR));
            if (pending.isPresent()) {
                AgentException agent = new AgentException(pending.get().text());
                agent.addSuppressed(writeFailure);
                return agent;
            }
        } catch (IOException readFailure) {
            writeFailure.addSuppressed(readFailure);
        }
        return writeFailure;
    }

    /** The next frame of any type, including ones this side does not know; empty at a clean end. */
    Optional<Frame> nextRaw() throws IOException {
        return in.next();
    }

    /**
     * The next frame of a known type, skipping unknown types (forward compatibility,
     * SPEC §1.1); the agent closing the connection here is an unexpected end.
     */
    Frame next(String during) throws IOException {
        while (true) {
            Frame f = in.next().orElseThrow(() -> new ProtocolException(ProtocolException.Reason.UNEXPECTED_END,
                    "agent closed the connection during " + during));
            if (f.kind().isPresent()) {
                return f;
            }
        }
    }

    /** Expects one frame of {@code type} and decodes its JSON; ERROR becomes an {@link AgentException}. */
    <T> T expectJson(FrameType type, Class<T> as, String during) throws IOException {
        return Json.decode(expect(type, during).payload(), as);
    }

    /** Expects one frame of {@code type}; ERROR becomes an {@link AgentException}, anything else a protocol error. */
    Frame expect(FrameType type, String during) throws IOException {
        Frame f = next(during);
        if (f.is(type)) {
            return f;
        }
        throw unexpected(f, during);
    }

    /** The exception for {@code f} arriving where it does not belong: the agent's ERROR, or a protocol error. */
    static IOException unexpected(Frame f, String during) {
        if (f.is(FrameType.ERROR)) {
            return new AgentException(f.text());
        }
        return new ProtocolException(ProtocolException.Reason.UNEXPECTED_FRAME, "unexpected " + f + " during " + during);
    }

    /** Writes {@code len} bytes of {@code buf} as frames of {@code type} of at most {@link Wire#CHUNK_SIZE}. */
    void writeChunked(FrameType type, byte[] buf, int off, int len) throws IOException {
        for (int pos = off, end = off + len; pos < end; pos += Wire.CHUNK_SIZE) {
            out.write(type, buf, pos, Math.min(Wire.CHUNK_SIZE, end - pos));
        }
    }

    boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } finally {
                onClose.accept(this);
            }
        }
    }
}
