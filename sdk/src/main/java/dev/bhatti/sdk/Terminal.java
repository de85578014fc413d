package dev.bhatti.sdk;

import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A TTY session over the sandbox's WebSocket: keystrokes out as binary frames, resizes as
 * {@code {"type":"resize","rows":R,"cols":C}}; what the session writes arrives at the listener
 * given to {@link Sandbox#terminal}. Closing detaches (the session keeps running).
 */
public final class Terminal implements AutoCloseable {
    private final WebSocket socket;

    Terminal(WebSocket socket) {
        this.socket = socket;
    }

    /** The underlying WebSocket, for callers that drive frames themselves. */
    public WebSocket webSocket() {
        return socket;
    }

    /** Sends keystrokes. */
    public CompletableFuture<WebSocket> send(byte[] keys) {
        return socket.sendBinary(java.nio.ByteBuffer.wrap(keys), true);
    }

    /** Sends text as keystrokes (UTF-8). */
    public CompletableFuture<WebSocket> send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Tells the session its window size. */
    public CompletableFuture<WebSocket> resize(int rows, int cols) {
        return socket.sendText("{\"type\":\"resize\",\"rows\":" + rows + ",\"cols\":" + cols + "}", true);
    }

    /** Detaches: a normal close, then the connection is dropped. */
    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "detach").orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(e -> socket).join();
        } finally {
            socket.abort();
        }
    }
}
