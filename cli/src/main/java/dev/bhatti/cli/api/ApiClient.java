package dev.bhatti.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.proto.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The daemon's HTTP API over java.net.http; non-2xx responses become {@link ApiError}. */
public final class ApiClient {
    private final Endpoint endpoint;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    public ApiClient(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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
    public HttpRequest.Builder postRequest(String path, Object body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(body)));
    }

    /** What a create-style call answered: the resource, and whether it already existed ({@code X-Bhatti-Existing}). */
    public record Created(JsonNode resource, boolean existing) {}

    public Created created(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new Created(json.readTree(in.readAllBytes()), response.headers().firstValue("X-Bhatti-Existing").isPresent());
        } catch (IOException e) {
            throw new ApiError(response.statusCode(), "bad_response", "unreadable response: " + e.getMessage());
        }
    }

    public JsonNode patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Json.encode(body))));
    }

    /** The raw response, for callers that need headers or a streamed body; errors already mapped. */
    public HttpResponse<InputStream> stream(HttpRequest.Builder builder) {
        HttpResponse<InputStream> response = exchange(builder);
        if (response.statusCode() >= 300) {
            try (InputStream body = response.body()) {
                throw error(response.statusCode(), body.readAllBytes());
            } catch (IOException e) {
                throw new ApiError(response.statusCode(), "", "HTTP " + response.statusCode());
            }
        }
        return response;
    }

    /** The absolute URL of an API path on this daemon. */
    public String url(String path) {
        return endpoint.url() + path;
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        return endpoint.token().isEmpty() ? b : b.header("Authorization", "Bearer " + endpoint.token());
    }

    public JsonNode send(HttpRequest.Builder builder) {
        HttpResponse<InputStream> response = stream(builder);
        try (InputStream body = response.body()) {
            byte[] bytes = body.readAllBytes();
            return bytes.length == 0 ? json.nullNode() : json.readTree(bytes);
        } catch (IOException e) {
            throw new ApiError(response.statusCode(), "bad_response", "unreadable response: " + e.getMessage());
        }
    }

    /**
     * Opens a WebSocket to {@code path} (the URL's scheme as ws/wss) with the bearer key; returns
     * once the upgrade is done. A refused upgrade becomes the {@link ApiError} of its response.
     */
    public WebSocket websocket(String path, WebSocket.Listener listener) {
        WebSocket.Builder b = http.newWebSocketBuilder();
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

    private HttpResponse<InputStream> exchange(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failed(e);
        } catch (InterruptedException e) {
            throw interrupted();
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
                return new ApiError(status, "internal", message + " (request id " + node.path("request_id").asText() + ")");
            }
            return new ApiError(status, node.path("code").asText(""), message);
        } catch (IOException | RuntimeException e) {
            return new ApiError(status, "", "HTTP " + status);
        }
    }
}
