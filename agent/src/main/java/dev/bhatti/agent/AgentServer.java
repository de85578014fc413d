package dev.bhatti.agent;

import dev.bhatti.agent.conn.Admission;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.conn.LiveConnections;
import dev.bhatti.agent.conn.PlatformThreads;
import dev.bhatti.proto.AgentErrorText;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's two listeners (control and forward). Control connections are served on platform
 * threads, forward connections on virtual threads. Admission (decision 0012): a connection is
 * pending until it authenticates; each listener bounds its pending connections apart (the oldest
 * is evicted when full) and gives them a short first-frame deadline, so a flood of connections
 * that never authenticate cannot starve authenticated ones. Authenticated control connections
 * are capped (SPEC §1.4: the 51st gets {@code ERROR "connection limit exceeded"}).
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    private final AgentOptions options;
    private final ServerSocketChannel control;
    private final ServerSocketChannel forward;
    private final Admission controlAdmission;
    private final Admission forwardAdmission;
    private final ScheduledExecutorService timers;
    private final Dispatcher dispatcher;
    private final LiveConnections live = new LiveConnections();
    private final ExecutorService controlThreads =
            PlatformThreads.pool("lohar-control-");

    private AgentServer(AgentOptions options, ServerSocketChannel control, ServerSocketChannel forward) {
        this.options = options;
        this.control = control;
        this.forward = forward;
        this.controlAdmission = new Admission(options.maxConnections(), options.maxPending(), this::evict);
        this.forwardAdmission = new Admission(Integer.MAX_VALUE, options.maxPending(), this::evict);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lohar-timer").factory());
        this.dispatcher = new Dispatcher(options, timers, live);
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
     * Leader/follower on platform threads: the thread that accepts a control connection hands the
     * listener to a fresh acceptor and then serves the connection itself. No hand-off sits on the
     * request path, and blocking native calls (spawn, poll, wait) in exec and sessions run on a
     * platform thread, where they pin nothing. While every authenticated slot is taken a new
     * connection is refused at once; otherwise it is pending until its AUTH takes a slot.
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
        Connection accepted;
        try {
            accepted = Connection.accepted(channel);
        } catch (IOException e) {
            log.debug("event=connection_dropped error=\"{}\"", e.getMessage());
            closeQuietly(channel);
            controlThreads.execute(this::acceptControl);
            return;
        }
        controlThreads.execute(this::acceptControl);
        live.enter(accepted);
        try (Connection conn = accepted) {
            if (controlAdmission.authenticatedFull()) {
                conn.tryError("connection limit exceeded");
                return;
            }
            try (Admission.Ticket ticket = controlAdmission.enter(conn)) {
                dispatcher.serveControl(conn, ticket);
            }
        } finally {
            live.leave(accepted);
        }
    }

    /** Forward connections skip the accept-time read: their thread starts reading at once anyway. */
    private void serveForward(SocketChannel channel) {
        Connection accepted = new Connection(channel);
        live.enter(accepted);
        try (Connection conn = accepted; Admission.Ticket ticket = forwardAdmission.enter(conn)) {
            dispatcher.serveForward(conn, ticket);
        } finally {
            live.leave(accepted);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("event=close_failed error=\"{}\"", e.getMessage());
        }
    }

    /** A pending connection pushed out of a full pool: it had its chance to authenticate. */
    private void evict(Connection conn) {
        log.debug("event=pending_evicted");
        conn.tryError(options.token().isPresent() ? AgentErrorText.AUTH_REQUIRED.text() : AgentErrorText.CONNECTION_LIMIT.text());
        conn.close();
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
