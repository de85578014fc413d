package dev.bhatti.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.proto.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The daemon's HTTP API: calls over {@link Http1} (a plain socket, so a CLI call does not pay for
 * building {@code java.net.http.HttpClient}), WebSockets over {@code java.net.http}; non-2xx
 * responses become {@link ApiError}.
 */
public final class ApiClient {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private final Endpoint endpoint;
    private final URI base;
    private final ObjectMapper json = Json.mapper();

    public ApiClient(Endpoint endpoint) {
        this.endpoint = endpoint;
        URI parsed;
        try {
            parsed = URI.create(endpoint.url());
        } catch (IllegalArgumentException e) {
            throw new ApiError(0, "invalid_url", "not a URL: " + endpoint.url());
        }
        if (parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ApiError(0, "invalid_url", "not an http:// or https:// URL: " + endpoint.url());
        }
        this.base = parsed;
    }

    /** One API call being put together: a method, a path, headers and a body. */
    public static final class Call {
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String method = "GET";
        private byte[] body;

        private Call(String path) {
            this.path = path;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call GET() {
            return method("GET", null);
        }

        public Call DELETE() {
            return method("DELETE", null);
        }

        public Call POST(byte[] content) {
            return method("POST", content);
        }

        public Call PUT(byte[] content) {
            return method("PUT", content);
        }

        public Call method(String name, byte[] content) {
            method = name;
            body = content;
            return this;
        }

        Http1.Request build() {
            return new Http1.Request(method, path, Map.copyOf(headers), body);
        }
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    public JsonNode post(String path, Object body) {
        return send(postRequest(path, body));
    }

    /** A JSON POST, for callers that need the raw response ({@link #stream}). */
    public Call postRequest(String path, Object body) {
        return request(path).header("Content-Type", "application/json").POST(Json.encode(body));
    }

    /** What a create-style call answered: the resource, and whether it already existed ({@code X-Bhatti-Existing}). */
    public record Created(JsonNode resource, boolean existing) {}

    public Created created(Http1.Response response) {
        try (InputStream in = response.body()) {
            return new Created(json.readTree(in.readAllBytes()), response.header("X-Bhatti-Existing").isPresent());
        } catch (IOException e) {
            throw new ApiError(response.status(), "bad_response", "unreadable response: " + e.getMessage());
        }
    }

    public JsonNode patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").method("PATCH", Json.encode(body)));
    }

    /** The raw response, for callers that need headers or a streamed body; errors already mapped. */
    public Http1.Response stream(Call call) {
        Http1.Response response = exchange(call);
        if (response.status() >= 300) {
            try (InputStream body = response.body()) {
                throw error(response.status(), body.readAllBytes());
            } catch (IOException e) {
                throw new ApiError(response.status(), "", "HTTP " + response.status());
            }
        }
        return response;
    }

    /** The absolute URL of an API path on this daemon. */
    public String url(String path) {
        return endpoint.url() + path;
    }

    /** A GET of {@code path} with the key; change the method with the {@link Call}'s setters. */
    public Call request(String path) {
        Call call = new Call(path);
        return endpoint.token().isEmpty() ? call : call.header("Authorization", "Bearer " + endpoint.token());
    }

    public JsonNode send(Call call) {
        Http1.Response response = stream(call);
        try (InputStream body = response.body()) {
            byte[] bytes = body.readAllBytes();
            return bytes.length == 0 ? json.nullNode() : json.readTree(bytes);
        } catch (IOException e) {
            throw new ApiError(response.status(), "bad_response", "unreadable response: " + e.getMessage());
        }
    }

    /**
     * Opens a WebSocket to {@code path} (the URL's scheme as ws/wss) with the bearer key; returns
     * once the upgrade is done. A refused upgrade becomes the {@link ApiError} of its response.
     */
    public WebSocket websocket(String path, WebSocket.Listener listener) {
        WebSocket.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS)).build()
                .newWebSocketBuilder();
        if (!endpoint.token().isEmpty()) {
            b.header("Authorization", "Bearer " + endpoint.token());
        }
        URI uri = URI.create(endpoint.url().replaceFirst("^http", "ws") + path);
        try {
            return b.buildAsync(uri, listener).get();
        } catch (ExecutionException e) {
            throw upgradeFailed(e.getCause());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private ApiError upgradeFailed(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return switch (c) {
            case WebSocketHandshakeException h -> refused(h.getResponse());
            case IOException e -> failed(e);
            default -> new ApiError(0, "connection_failed", "WebSocket to " + endpoint.url() + " failed: " + c);
        };
    }

    private ApiError refused(HttpResponse<?> response) {
        int status = response.statusCode();
        return response.body() instanceof String s && !s.isBlank() ? error(status, s.getBytes(StandardCharsets.UTF_8))
                : new ApiError(status, "", "the daemon refused the WebSocket upgrade (HTTP " + status + ")");
    }

    private Http1.Response exchange(Call call) {
        try {
            return Http1.exchange(base, call.build(), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private ApiError failed(IOException e) {
        return e instanceof ConnectException
                ? new ApiError(0, "connection_refused", "cannot connect to " + endpoint.url())
                : new ApiError(0, "connection_failed", "request to " + endpoint.url() + " failed: " + e);
    }

    private static ApiError interrupted() {
        Thread.currentThread().interrupt();
        return new ApiError(0, "interrupted", "interrupted");
    }

    private ApiError error(int status, byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            String message = node.path("error").asText("HTTP " + status);
            if (node.hasNonNull("request_id")) {
                return new ApiError(status, ErrorCode.INTERNAL_ERROR.code(), message + " (request id " + node.path("request_id").asText() + ")");
            }
            return new ApiError(status, node.path("code").asText(""), message);
        } catch (IOException | RuntimeException e) {
            return new ApiError(status, "", "HTTP " + status);
        }
    }
}
