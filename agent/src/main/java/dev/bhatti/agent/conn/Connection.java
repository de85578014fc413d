package dev.bhatti.agent.conn;

import dev.bhatti.proto.FrameParser;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted host connection: a frame reader, a frame writer (safe for
 * concurrent writers) and the raw channel for port forwarding. Closing is
 * idempotent and may happen from any thread; a reader blocked on it then sees
 * an end of stream or an I/O error.
 */
public final class Connection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
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
        keepAlive(channel);
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

    /** Seconds of silence before the first keepalive probe, between probes, and probes unanswered. */
    static final int KEEPALIVE_IDLE_SEC = 5;
    static final int KEEPALIVE_INTERVAL_SEC = 2;
    static final int KEEPALIVE_PROBES = 3;

    /**
     * TCP keepalive on host connections: a snapshot restore leaves the guest holding connections
     * that no longer exist on the host side (QEMU's user network does not carry them over, and the
     * host closed its ends at the stop). Nothing is ever sent on an idle one, so without probes it
     * stays open, keeps its authenticated slot and, for an exec, its process, until the slots run
     * out. A probe gets a reset for such a connection, so it closes within ~11 s of the restore
     * (decision 0019). Unix sockets (test mode) have no keepalive.
     */
    private static void keepAlive(SocketChannel channel) {
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SEC);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SEC);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
        } catch (IOException e) {
            log.warn("event=keepalive_unavailable error=\"{}\"", e.getMessage());
        }
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
