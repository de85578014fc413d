package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.proxy.BodyTooLargeException;
import dev.bhatti.server.proxy.HttpRelay;
import dev.bhatti.server.proxy.ProxyRequest;
import dev.bhatti.server.proxy.Tunnel;
import dev.bhatti.server.proxy.UpstreamException;
import dev.bhatti.server.proxy.WsUpstream;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy's two halves, shared by {@code /sandboxes/:id/proxy/:port/*} and public
 * preview traffic: one HTTP exchange through the agent's tunnel, and a WebSocket relayed both
 * ways. The sandbox is held hot for the exchange, and for as long as a relayed WebSocket is open.
 */
final class Proxy {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);
    private static final String WS_ATTRIBUTE = "bhatti.proxy.ws";
    static final Duration WS_IDLE = Duration.ofMinutes(10);

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("proxy-deadlines").factory());

    private final Map<String, Open> open = new ConcurrentHashMap<>();

    /** An upstream WebSocket connected before the client's upgrade, and the hold that keeps its sandbox hot. */
    private record Open(WsUpstream upstream, AutoCloseable hold) {}

    /** The {@code :port} path parameter: 1..65535, else 400. */
    static int port(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PORT, "port must be a number from 1 to 65535, got '" + raw + "'");
    }

    /**
     * Relays one exchange to {@code localhost:port} in the sandbox (the caller holds it hot); a
     * {@code deadline} (or null) cuts the exchange off by closing its tunnel.
     */
    static void http(Context ctx, String sandboxId, Tunnel tunnel, int port, ProxyRequest request, long maxBody,
                     Duration deadline) {
        SocketChannel channel = open(sandboxId, tunnel, port);
        ScheduledFuture<?> cutOff = deadline == null ? null
                : DEADLINES.schedule(() -> closeQuietly(channel), deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            HttpRelay.exchange(request, "localhost:" + port, channel, ctx.res(), maxBody);
        } catch (BodyTooLargeException e) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (UpstreamException e) {
            if (!ctx.res().isCommitted()) {
                throw new ApiException(ErrorCode.UPSTREAM_FAILED, "port " + port + " in sandbox " + sandboxId + ": " + e.getMessage());
            }
            log.info("event=proxy_upstream_failed sandbox={} port={} error=\"{}\"", sandboxId, port, e.getMessage());
        } catch (IOException e) {
            log.debug("event=proxy_ended sandbox={} port={} error=\"{}\"", sandboxId, port, e.getMessage());
        } finally {
            if (cutOff != null) {
                cutOff.cancel(false);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("event=proxy_deadline_close_failed error=\"{}\"", e.getMessage());
        }
    }

    private static SocketChannel open(String sandboxId, Tunnel tunnel, int port) {
        try {
            return tunnel.open(port);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.UPSTREAM_UNREACHABLE,
                    "could not connect to port " + port + " in sandbox " + sandboxId + ": " + e.getMessage());
        }
    }

    /**
     * Before the client's upgrade: connects the upstream WebSocket now, so that a failure is still an
     * HTTP answer (502), and keeps it with {@code hold} for {@link #register}'s handlers. Takes
     * ownership of {@code hold} (what keeps the sandbox hot): it is released when the socket ends
     * or when this fails.
     */
    static void prepareWs(Context ctx, String sandboxId, int port, String target, boolean dropCredentials,
                          Tunnel tunnel, AutoCloseable hold) throws Exception {
        try (var guard = new CloseOnFailure(hold)) {
            ProxyRequest request = ProxyRequest.of(ctx.req(), target, dropCredentials);
            WsUpstream upstream;
            try {
                upstream = WsUpstream.connect(request, "localhost:" + port, ctx.header("Sec-WebSocket-Protocol"),
                        open(sandboxId, tunnel, port));
            } catch (IOException e) {
                throw new ApiException(ErrorCode.UPSTREAM_FAILED, "WebSocket to port " + port + " in sandbox "
                        + sandboxId + ": " + e.getMessage());
            }
            if (upstream.protocol() != null) {
                ctx.header("Sec-WebSocket-Protocol", upstream.protocol());
            }
            ctx.attribute(WS_ATTRIBUTE, new Open(upstream, hold));
            guard.keep();
        }
    }

    /** The WebSocket handlers of a proxied path whose {@code wsBeforeUpgrade} called {@link #prepareWs}. */
    void register(JavalinDefaultRoutingApi r, String path) {
        r.ws(path, ws -> {
            ws.onConnect(this::connect);
            ws.onMessage(c -> upstream(c.sessionId()).sendText(c.message()));
            ws.onBinaryMessage(c -> upstream(c.sessionId()).sendBinary(c.data()));
            ws.onClose(c -> end(c.sessionId(), c.status(), c.reason()));
            ws.onError(c -> end(c.sessionId(), 1011, "error"));
        });
    }

    private void connect(WsContext ws) {
        Open o = ws.attribute(WS_ATTRIBUTE);
        open.put(ws.sessionId(), o);
        ws.session.setIdleTimeout(WS_IDLE);
        ws.session.setMaxBinaryMessageSize(WsUpstream.MAX_MESSAGE);
        ws.session.setMaxTextMessageSize(WsUpstream.MAX_MESSAGE);
        Thread.ofVirtual().name("proxy-ws-" + ws.sessionId()).start(() -> pump(ws, o.upstream()));
    }

    /** Upstream messages → the client; the upstream's close closes the client's socket. */
    private static void pump(WsContext ws, WsUpstream upstream) {
        try {
            while (true) {
                switch (upstream.read()) {
                    case WsUpstream.Message.Text t -> ws.send(t.text());
                    case WsUpstream.Message.Binary b -> ws.send(b.data());
                    case WsUpstream.Message.Close c -> {
                        if (ws.session.isOpen()) {
                            ws.closeSession(sendable(c.code()), c.reason());
                        }
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("event=proxy_ws_pump_ended session={} error=\"{}\"", ws.sessionId(), e.getMessage());
            if (ws.session.isOpen()) {
                ws.closeSession(1011, "upstream connection lost");
            }
        }
    }

    /** 1005 and 1006 may not be sent in a close frame. */
    private static int sendable(int code) {
        return code == 1005 ? 1000 : code == 1006 ? 1011 : code;
    }

    private WsUpstream upstream(String sessionId) throws IOException {
        Open o = open.get(sessionId);
        if (o == null) {
            throw new IOException("proxied WebSocket " + sessionId + " is closed");
        }
        return o.upstream();
    }

    private void end(String sessionId, int code, String reason) {
        Open o = open.remove(sessionId);
        if (o == null) {
            return;
        }
        try (WsUpstream upstream = o.upstream(); AutoCloseable hold = o.hold()) {
            upstream.sendClose(sendable(code), reason);
        } catch (Exception e) {
            log.debug("event=proxy_ws_close_failed session={} error=\"{}\"", sessionId, e.getMessage());
        }
    }

    /** Closes a resource unless {@link #keep} was called: ownership passed on. */
    private static final class CloseOnFailure implements AutoCloseable {
        private AutoCloseable resource;

        CloseOnFailure(AutoCloseable resource) {
            this.resource = resource;
        }

        void keep() {
            resource = null;
        }

        @Override
        public void close() throws Exception {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
