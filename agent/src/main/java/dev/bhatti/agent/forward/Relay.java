package dev.bhatti.agent.forward;

import dev.bhatti.agent.conn.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies raw bytes host → guest port and guest port → host, each direction on its own virtual
 * thread. The end of one side's input shuts down the other side's output (half-close); an
 * error in either direction closes both sockets so the other direction ends too. Host bytes
 * are read through the connection's buffered stream, which may already hold bytes the host
 * sent right after FWD_REQ.
 */
final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final int BUFFER = 64 * 1024;

    private final Connection conn;
    private final Socket target;

    Relay(Connection conn, Socket target) {
        this.conn = conn;
        this.target = target;
    }

    private interface HalfClose {
        void shutdownOutput() throws IOException;
    }

    /** Relays until both directions reached end of stream or one failed. */
    void run() throws IOException {
        InputStream fromTarget = target.getInputStream();
        OutputStream toTarget = target.getOutputStream();
        Thread up = Thread.ofVirtual().name("lohar-forward-up")
                .start(() -> pump("up", conn.rawInput(), toTarget, target::shutdownOutput));
        Thread down = Thread.ofVirtual().name("lohar-forward-down")
                .start(() -> pump("down", fromTarget, Channels.newOutputStream(conn.channel()),
                        conn.channel()::shutdownOutput));
        try {
            up.join();
            down.join();
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("forward relay interrupted");
        }
    }

    private void pump(String direction, InputStream in, OutputStream out, HalfClose end) {
        byte[] buf = new byte[BUFFER];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
            end.shutdownOutput();
        } catch (IOException e) {
            log.debug("event=forward_direction_failed direction={} error=\"{}\"", direction, e.getMessage());
            abort();
        }
    }

    private void abort() {
        conn.close();
        try {
            target.close();
        } catch (IOException e) {
            log.debug("event=forward_target_close_failed error=\"{}\"", e.getMessage());
        }
    }
}
