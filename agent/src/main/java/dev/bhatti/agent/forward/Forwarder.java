package dev.bhatti.agent.forward;

import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.ForwardRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.StatusReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a forward-port connection to a TCP port on the guest's loopback (SPEC §1.4): after
 * FWD_REQ it connects to {@code 127.0.0.1:<port>}; on failure it answers
 * {@code FWD_RESP {"status":"error","message":"connect 127.0.0.1:<port>: <reason>"}}, on success
 * {@code FWD_RESP {"status":"ok"}}, after which framing stops and raw bytes flow both ways
 * until both directions have ended. Half-close is propagated in both directions.
 */
public final class Forwarder {
    /** How long connecting to the guest port may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    /** Serves one forward connection; returns once both directions are done. */
    public void relay(ForwardRequest request, Connection conn) throws IOException {
        Socket target = new Socket();
        try {
            target.connect(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), request.port()),
                    (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            target.close();
            log.info("event=forward_connect_failed port={} error=\"{}\"", request.port(), e.getMessage());
            conn.out().sendJson(FrameType.FWD_RESP,
                    StatusReply.error("connect 127.0.0.1:" + request.port() + ": " + e.getMessage()));
            return;
        }
        try (target) {
            conn.out().sendJson(FrameType.FWD_RESP, StatusReply.ok());
            new Relay(conn, target).run();
        }
    }
}
