package dev.bhatti.cli.shell;

import dev.bhatti.sdk.Json;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the client sends: keystrokes as binary messages, {@code {"type":"resize",...}} as text,
 * keep-alive pings and the final close. {@link WebSocket} allows one outstanding send, so each
 * send is chained after the previous one (in call order, no lock held while sending). A failed
 * send is reported as a lost connection unless the socket's own close or error decides the
 * outcome within {@link #GRACE_SEC} (a key typed just as the shell exits must not turn a clean
 * exit into a failure).
 */
final class Outbound {
    static final int GRACE_SEC = 2;

    private final WebSocket ws;
    private final CompletableFuture<Outcome> outcome;
    private CompletableFuture<WebSocket> tail;

    record Resize(String type, int rows, int cols) {}

    Outbound(WebSocket ws, CompletableFuture<Outcome> outcome) {
        this.ws = ws;
        this.outcome = outcome;
        this.tail = CompletableFuture.completedFuture(ws);
    }

    void keys(byte[] data) {
        then(() -> ws.sendBinary(ByteBuffer.wrap(data), true));
    }

    void resize(int rows, int cols) {
        String json = Json.write(new Resize("resize", rows, cols));
        then(() -> ws.sendText(json, true));
    }

    /**
     * A ping: traffic that keeps the daemon's idle timeout from closing a quiet shell (its own
     * pings come at the same 30 s as its idle timeout, so under load they can lose that race).
     */
    void ping() {
        then(() -> ws.sendPing(ByteBuffer.allocate(0)));
    }

    /** A normal close (1000): the daemon detaches the session and keeps it running. */
    CompletableFuture<WebSocket> close() {
        return then(() -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "detached"));
    }

    private synchronized CompletableFuture<WebSocket> then(Supplier<CompletableFuture<WebSocket>> send) {
        tail = tail.thenCompose(previous -> send.get());
        tail.whenComplete((done, error) -> {
            if (error != null) {
                CompletableFuture.delayedExecutor(GRACE_SEC, TimeUnit.SECONDS).execute(() ->
                        outcome.complete(new Outcome.Lost("send failed: " + error.getMessage())));
            }
        });
        return tail;
    }
}
