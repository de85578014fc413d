package dev.bhatti.agent.forward;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A host-side forward connection to a test-mode lohar: sends FWD_REQ, reads the one reply
 * frame, then collects raw bytes in the background so every wait has a deadline.
 */
final class ForwardClient implements AutoCloseable {
    private final SocketChannel channel;
    private final CompletableFuture<Optional<Frame>> reply = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean ended;
    private IOException failure;

    private ForwardClient(SocketChannel channel) {
        this.channel = channel;
        Thread.ofVirtual().start(this::readAll);
    }

    static ForwardClient open(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new ForwardClient(ch);
    }

    /** Writes one frame followed by {@code extraRaw} in a single write. */
    ForwardClient send(FrameType type, byte[] payload, byte[] extraRaw) throws IOException {
        byte[] frame = FrameWriter.encode(type.code(), payload, 0, payload.length);
        ByteBuffer b = ByteBuffer.allocate(frame.length + extraRaw.length).put(frame).put(extraRaw).flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        return this;
    }

    ForwardClient send(FrameType type, byte[] payload) throws IOException {
        return send(type, payload, new byte[0]);
    }

    void writeRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** The agent's one framed reply; empty when it closed without one. */
    Frame reply() throws Exception {
        return reply.get(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("agent closed without a reply"));
    }

    /** Waits until at least {@code n} raw bytes arrived (or the stream ended) and returns all received so far. */
    synchronized byte[] awaitBytes(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n && !ended && System.nanoTime() < deadline) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return received.toByteArray();
    }

    /** True once the agent ended the raw stream (EOF or error) within the timeout. */
    synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return ended;
    }

    synchronized Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    private void readAll() {
        InputStream in = Channels.newInputStream(channel);
        try {
            reply.complete(new FrameReader(in).next());
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                synchronized (this) {
                    received.write(buf, 0, n);
                    notifyAll();
                }
            }
            finish(null);
        } catch (IOException e) {
            reply.completeExceptionally(e);
            finish(e);
        }
    }

    private synchronized void finish(IOException e) {
        ended = true;
        failure = e;
        notifyAll();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
