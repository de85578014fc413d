package dev.bhatti.sdk;

import dev.bhatti.sdk.internal.Http1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The API as HTTP, for tests and what the typed calls do not cover: any method, path, headers and
 * body, the answer as it came (no status is an exception here). The key is added unless the
 * headers carry their own {@code Authorization}; a client connected without a key (an empty or
 * {@code null} one) sends no {@code Authorization} at all.
 *
 * <p>Headers are sent as given. Three of them replace what the client would write itself:
 * {@code Host} (to address a public preview by its {@code <alias>.<zone>} name), and
 * {@code Content-Length} or {@code Transfer-Encoding} (the body is then sent exactly as passed,
 * e.g. already in chunked coding, to see how the daemon treats a body without a length).
 */
public final class Raw {
    private final Transport transport;

    Raw(Transport transport) {
        this.transport = transport;
    }

    /** A complete answer: status, headers (names lower-case) and body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        /** A header by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as a JSON tree ({@link Json}); {@code null} when empty. */
        public Object json() {
            return body.length == 0 ? null : Json.parse(text());
        }

        /**
         * The typed exception the SDK's own calls throw for this answer (the subclass of
         * {@link BhattiException} for its code's family, with the server's message and code), or
         * empty when the status is not an error (below 400).
         */
        public Optional<BhattiException> error() {
            return status < 400 ? Optional.empty() : Optional.of(Transport.error(status, body));
        }
    }

    /** Sends a request and reads the whole answer. {@code body} may be {@code null}. */
    public Response send(String method, String path, Map<String, String> headers, byte[] body) {
        try (Streamed r = open(method, path, headers, body)) {
            return new Response(r.status(), r.headers(), r.body().readAllBytes());
        } catch (IOException e) {
            throw transport.failed(e);
        }
    }

    /**
     * A JSON call as the typed methods make it ({@code body}: a record, a tree or {@code null}),
     * the answer as a JSON tree ({@link Json}); an error answer is thrown as its exception.
     */
    public Object call(String method, String path, Object body) {
        return transport.json(method, path, body);
    }

    /** Sends a JSON text body ({@code Content-Type: application/json}). */
    public Response json(String method, String path, String json) {
        return send(method, path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a request and returns the answer with its body still streaming; close it when done. */
    public Streamed open(String method, String path, Map<String, String> headers, byte[] body) {
        Http1.Request request = new Http1.Request(method, path, withKey(headers),
                body == null ? null : new ByteArrayInputStream(body), body == null ? -1 : body.length);
        Http1.Response r = transport.exchange(request);
        return new Streamed(r);
    }

    /** An answer whose body is read from the open connection; closing it closes the connection. */
    public static final class Streamed implements AutoCloseable {
        private final Http1.Response response;

        Streamed(Http1.Response response) {
            this.response = response;
        }

        /** The HTTP status. */
        public int status() {
            return response.status();
        }

        /** The headers, names lower-case. */
        public Map<String, String> headers() {
            return response.headers();
        }

        /** The body as it arrives. */
        public InputStream body() {
            return response.body();
        }

        /** Closes the connection. */
        @Override
        public void close() throws IOException {
            response.close();
        }
    }

    /**
     * Opens a WebSocket to {@code path} with the key; returns once the upgrade is done. A refused
     * upgrade is thrown as the exception of its answer.
     */
    public WebSocket websocket(String path, WebSocket.Listener listener) {
        return Sockets.open(transport, path, listener);
    }

    private Map<String, String> withKey(Map<String, String> headers) {
        boolean own = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Authorization"));
        return own ? headers : transport.headers(headers);
    }
}
