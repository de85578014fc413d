package dev.bhatti.sdk;

import dev.bhatti.sdk.internal.Codec;
import dev.bhatti.sdk.internal.Http1;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one HTTP client of the API: a call per connection over {@link Http1} (a plain socket for
 * {@code http://}, so nothing sets up TLS or a selector thread), the key as a bearer token, JSON
 * bodies through {@link Codec}, and error answers turned into {@link BhattiException}s.
 */
final class Transport {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    private final Endpoint endpoint;
    private final URI base;

    Transport(Endpoint endpoint) {
        this.endpoint = endpoint;
        URI parsed;
        try {
            parsed = URI.create(endpoint.url());
        } catch (IllegalArgumentException e) {
            throw new ConnectionException("invalid_url", "not a URL: " + endpoint.url(), e);
        }
        if (parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ConnectionException("invalid_url", "not an http:// or https:// URL: " + endpoint.url(), null);
        }
        this.base = parsed;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** One path segment or query value, percent-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The headers every call sends: the key, when there is one, and any {@code extra}. */
    Map<String, String> headers(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        if (!endpoint.token().isEmpty()) {
            h.put("Authorization", "Bearer " + endpoint.token());
        }
        h.putAll(extra);
        return h;
    }

    /** The answer, whatever its status; only a failure to get one throws. */
    Http1.Response exchange(Http1.Request request) {
        try {
            return Http1.exchange(base, request, CONNECT_TIMEOUT_MS);
        } catch (ConnectException e) {
            throw new ConnectionException("connection_refused", "cannot connect to " + endpoint.url(), e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    ConnectionException failed(IOException e) {
        return new ConnectionException("connection_failed", "request to " + endpoint.url() + " failed: " + e, e);
    }

    /** The answer of a call that succeeded (2xx); an error answer is thrown as its exception. */
    Http1.Response open(String method, String path, Map<String, String> headers, InputStream body, long length) {
        Http1.Response response = exchange(new Http1.Request(method, path, headers(headers), body, length));
        if (response.status() >= 300) {
            try (InputStream in = response.body()) {
                throw error(response.status(), in.readAllBytes());
            } catch (IOException e) {
                throw new BhattiException(response.status(), "", "HTTP " + response.status(), e);
            }
        }
        return response;
    }

    /** A JSON call: {@code body} (a record, map or {@code null}) encoded, the answer's JSON tree returned. */
    Object json(String method, String path, Object body) {
        try (Http1.Response response = send(method, path, body, Map.of())) {
            return tree(response);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A JSON call whose answer is still open (for its headers or a streamed body). */
    Http1.Response send(String method, String path, Object body, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        byte[] bytes = null;
        if (body != null) {
            h.put("Content-Type", "application/json");
            bytes = Json.write(Codec.tree(body)).getBytes(StandardCharsets.UTF_8);
        }
        return open(method, path, h, bytes == null ? null : new java.io.ByteArrayInputStream(bytes),
                bytes == null ? -1 : bytes.length);
    }

    /** A JSON call decoded as {@code type}. */
    <T> T call(String method, String path, Object body, Class<T> type) {
        return Codec.value(json(method, path, body), type);
    }

    /** The body of {@code response} as a JSON tree ({@code null} when empty). */
    Object tree(Http1.Response response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? null : Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failed(e);
        } catch (IllegalArgumentException e) {
            throw new ConnectionException("bad_response", "unreadable response: " + e.getMessage(), e);
        }
    }

    /** The exception for an error answer's body ({@code {"error","code","request_id"}}). */
    static BhattiException error(int status, byte[] body) {
        try {
            if (Json.parse(new String(body, StandardCharsets.UTF_8)) instanceof Map<?, ?> m) {
                String message = m.get("error") instanceof String s ? s : "HTTP " + status;
                String code = m.get("code") instanceof String s ? s : "";
                if (m.get("request_id") != null) {
                    message = message + " (request id " + m.get("request_id") + ")";
                    code = code.isEmpty() ? dev.bhatti.api.ErrorCode.INTERNAL_ERROR.code() : code;
                }
                return BhattiException.of(status, code, message);
            }
        } catch (IllegalArgumentException e) {
            // not the API's error body: fall through
        }
        return BhattiException.of(status, "", "HTTP " + status);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
