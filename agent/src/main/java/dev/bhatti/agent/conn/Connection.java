package dev.bhatti.agent.conn;

import dev.bhatti.proto.FrameParser;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted host connection: a frame reader, a frame writer (safe for
 * concurrent writers) and the raw channel for port forwarding. Closing is
 * idempotent and may happen from any thread; a reader blocked on it then sees
 * an end of stream or an I/O error.
 */
public final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedInputStream rawInput;
    private final FrameReader in;
    private final FrameWriter out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean firstFrameArrived;

    public Connection(SocketChannel channel) {
        this(channel, new byte[0]);
    }

    private Connection(SocketChannel channel, byte[] arrived) {
        this.channel = channel;
        InputStream stream = Channels.newInputStream(channel);
        if (arrived.length > 0) {
            stream = new SequenceInputStream(new ByteArrayInputStream(arrived), stream);
        }
        this.rawInput = new BufferedInputStream(stream, 64 * 1024);
        this.in = new FrameReader(rawInput);
        this.out = new FrameWriter(Channels.newOutputStream(channel));
        this.firstFrameArrived = FrameParser.tryParse(ByteBuffer.wrap(arrived)) instanceof FrameParser.Result.Complete;
    }

    /**
     * A just-accepted connection with whatever its peer already sent taken in one non-blocking
     * read (at most one AUTH frame's worth, 4 KiB), so a client that wrote its AUTH right after
     * connecting is recognised before another thread can run (decision 0012).
     */
    public static Connection accepted(SocketChannel channel) throws IOException {
        ByteBuffer arrived = ByteBuffer.allocate(4096);
        channel.configureBlocking(false);
        try {
            channel.read(arrived);
        } finally {
            channel.configureBlocking(true);
        }
        byte[] bytes = new byte[arrived.flip().remaining()];
        arrived.get(bytes);
        return new Connection(channel, bytes);
    }

    /** True when a whole first frame had already arrived when the connection was accepted. */
    public boolean firstFrameArrived() {
        return firstFrameArrived;
    }

    public FrameReader in() {
        return in;
    }

    public FrameWriter out() {
        return out;
    }

    /**
     * The buffered stream {@link #in()} reads frames from, for raw relaying once framing stops:
     * bytes the peer sent right after its last frame may already sit in this buffer, so raw reads
     * must go through it rather than the channel.
     */
    public InputStream rawInput() {
        return rawInput;
    }

    /** The underlying channel, for raw relaying once framing stops. */
    public SocketChannel channel() {
        return channel;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Writes an ERROR frame, ignoring only the failure of a peer that is already gone. */
    public void tryError(String message) {
        try {
            out.error(message);
        } catch (IOException e) {
            close();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("closing agent connection", e);
            }
        }
    }
}
