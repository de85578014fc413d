package dev.bhatti.agent;

import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.conn.PlatformThreads;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's two listeners (control and forward). Each accepted connection
 * runs on its own virtual thread; control connections are capped
 * (SPEC §1.4: the 51st gets {@code ERROR "connection limit exceeded"}).
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    private final AgentOptions options;
    private final ServerSocketChannel control;
    private final ServerSocketChannel forward;
    private final Semaphore controlSlots;
    private final ScheduledExecutorService timers;
    private final Dispatcher dispatcher;
    private final ExecutorService controlThreads =
            PlatformThreads.pool("lohar-control-");

    private AgentServer(AgentOptions options, ServerSocketChannel control, ServerSocketChannel forward) {
        this.options = options;
        this.control = control;
        this.forward = forward;
        this.controlSlots = new Semaphore(options.maxConnections());
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lohar-timer").factory());
        this.dispatcher = new Dispatcher(options, timers);
    }

    /** Binds both listeners, starts the init session if configured, and starts accepting. */
    public static AgentServer start(AgentOptions options) throws IOException {
        ServerSocketChannel control = bind(options.control());
        ServerSocketChannel forward;
        try {
            forward = bind(options.forward());
        } catch (IOException e) {
            control.close();
            throw e;
        }
        AgentServer server = new AgentServer(options, control, forward);
        server.dispatcher.startInit();
        server.controlThreads.execute(server::acceptControl);
        Thread.ofVirtual().name("lohar-accept-forward").start(() -> server.acceptLoop(forward,
                channel -> Thread.ofVirtual().name("lohar-forward").start(() -> server.serveForward(channel))));
        return server;
    }

    private static ServerSocketChannel bind(SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            Files.deleteIfExists(unix.getPath());
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(unix, 128);
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(address, 128);
        return channel;
    }

    private void acceptLoop(ServerSocketChannel listener, Consumer<SocketChannel> serve) {
        while (listener.isOpen()) {
            try {
                serve.accept(listener.accept());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("event=accept_failed error=\"{}\"", e.getMessage());
            }
        }
    }

    /**
     * Leader/follower on platform threads: the thread that accepts a control connection takes its
     * slot (in accept order, so the limit is exact), hands the listener to a fresh acceptor and then
     * serves the connection itself. No hand-off sits on the request path, and blocking native calls
     * (spawn, poll, wait) in exec and sessions run on a platform thread, where they pin nothing.
     */
    private void acceptControl() {
        SocketChannel channel;
        try {
            channel = control.accept();
        } catch (ClosedChannelException e) {
            return;
        } catch (IOException e) {
            log.warn("event=accept_failed error=\"{}\"", e.getMessage());
            controlThreads.execute(this::acceptControl);
            return;
        }
        boolean admitted = controlSlots.tryAcquire();
        controlThreads.execute(this::acceptControl);
        try (Connection conn = new Connection(channel)) {
            if (!admitted) {
                conn.tryError("connection limit exceeded");
                return;
            }
            dispatcher.serveControl(conn);
        } finally {
            if (admitted) {
                controlSlots.release();
            }
        }
    }

    private void serveForward(SocketChannel channel) {
        try (Connection conn = new Connection(channel)) {
            dispatcher.serveForward(conn);
        }
    }

    /** The control listener's address (the bound port when TCP port 0 was asked for). */
    public SocketAddress controlAddress() throws IOException {
        return control.getLocalAddress();
    }

    public SocketAddress forwardAddress() throws IOException {
        return forward.getLocalAddress();
    }

    public AgentOptions options() {
        return options;
    }

    /** Stops accepting, kills every session's process group and removes Unix socket files. */
    @Override
    public void close() throws IOException {
        control.close();
        forward.close();
        dispatcher.close();
        timers.shutdownNow();
        controlThreads.shutdownNow();
        for (SocketAddress a : new SocketAddress[] {options.control(), options.forward()}) {
            if (a instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        }
    }
}
