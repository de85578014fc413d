package dev.bhatti.client;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted peer speaking the frame protocol on a Unix socket or a TCP port, for the client's
 * own framing rules (unknown frames, transports) that a real agent cannot be made to break.
 * Every accepted connection runs the script on its own thread and is then closed.
 */
final class FakeAgent implements AutoCloseable {
    /** What the peer does with one connection. */
    interface Script {
        void serve(FrameReader in, FrameWriter out) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Script script;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private final Optional<Path> socket;

    private FakeAgent(ServerSocketChannel server, Optional<Path> socket, Script script) {
        this.server = server;
        this.socket = socket;
        this.script = script;
        Thread.ofVirtual().name("fake-agent-accept").start(this::acceptLoop);
    }

    static FakeAgent unix(Path socket, Script script) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FakeAgent(server, Optional.of(socket), script);
    }

    static FakeAgent tcp(Script script) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FakeAgent(server, Optional.empty(), script);
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** I/O failures of the peer's own connections (a client hanging up early shows here). */
    List<Throwable> failures() {
        return failures;
    }

    /** Frames read through {@link #recording(FrameReader)}, in order. */
    List<Frame> received() {
        return received;
    }

    /** Reads the next frame and remembers it. */
    Optional<Frame> recording(FrameReader in) throws IOException {
        Optional<Frame> f = in.next();
        f.ifPresent(received::add);
        return f;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                connections.add(ch);
                Thread.ofVirtual().name("fake-agent-conn").start(() -> serve(ch));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                failures.add(e);
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            script.serve(new FrameReader(Channels.newInputStream(ch)), new FrameWriter(Channels.newOutputStream(ch)));
        } catch (IOException e) {
            failures.add(e);
        } finally {
            connections.remove(ch);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel ch : List.copyOf(connections)) {
            ch.close();
        }
        if (socket.isPresent()) {
            java.nio.file.Files.deleteIfExists(socket.get());
        }
    }
}
