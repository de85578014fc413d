package dev.bhatti.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** WebSockets over {@code java.net.http} (loaded only by the calls that open one). */
final class Sockets {
    private Sockets() {}

    static WebSocket open(Transport transport, String path, WebSocket.Listener listener) {
        Endpoint endpoint = transport.endpoint();
        WebSocket.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Transport.CONNECT_TIMEOUT_MS))
                .build().newWebSocketBuilder();
        if (!endpoint.token().isEmpty()) {
            b.header("Authorization", "Bearer " + endpoint.token());
        }
        URI uri = URI.create(endpoint.url().replaceFirst("^http", "ws") + path);
        try {
            return b.buildAsync(uri, listener).get();
        } catch (ExecutionException e) {
            throw upgradeFailed(transport, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted", "interrupted", e);
        }
    }

    private static BhattiException upgradeFailed(Transport transport, Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return switch (c) {
            case WebSocketHandshakeException h -> refused(h.getResponse());
            case java.net.ConnectException e ->
                    new ConnectionException("connection_refused", "cannot connect to " + transport.endpoint().url(), e);
            case IOException e -> transport.failed(e);
            default -> new ConnectionException("connection_failed",
                    "WebSocket to " + transport.endpoint().url() + " failed: " + c, c);
        };
    }

    private static BhattiException refused(HttpResponse<?> response) {
        int status = response.statusCode();
        return response.body() instanceof String s && !s.isBlank()
                ? Transport.error(status, s.getBytes(StandardCharsets.UTF_8))
                : BhattiException.of(status, "", "the daemon refused the WebSocket upgrade (HTTP " + status + ")");
    }
}
