package dev.bhatti.sdk;

import dev.bhatti.api.model.Health;
import dev.bhatti.api.model.Port;
import dev.bhatti.sdk.internal.Codec;
import java.util.List;
import java.util.Map;

/**
 * The bhatti API. {@code Bhatti.connect(url, key)} or {@link #fromEnvironment()}, then
 * {@link #sandboxes()}, {@link #secrets()}, {@link #volumes()}, {@link #templates()}. Each call is
 * one HTTP exchange on its own connection, so an instance holds no resources and is safe to share
 * between threads. Failures are {@link BhattiException}s, one subclass per error family.
 */
public final class Bhatti {
    private final Transport transport;

    private Bhatti(Endpoint endpoint) {
        this.transport = new Transport(endpoint);
    }

    /** The daemon at {@code url} (e.g. {@code http://127.0.0.1:8080}) with the API key {@code key}. */
    public static Bhatti connect(String url, String key) {
        return connect(new Endpoint(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                key == null ? "" : key));
    }

    /** The daemon and key of {@code endpoint}. */
    public static Bhatti connect(Endpoint endpoint) {
        return new Bhatti(endpoint);
    }

    /**
     * The daemon and key from {@code BHATTI_URL}/{@code BHATTI_TOKEN}, else the config file
     * ({@code $BHATTI_CONFIG}, else {@code $HOME/.bhatti/config.yaml}), else {@link Endpoint#DEFAULT_URL}.
     */
    public static Bhatti fromEnvironment() {
        return connect(Endpoint.fromEnvironment());
    }

    /** Where this client goes, and with which key. */
    public Endpoint endpoint() {
        return transport.endpoint();
    }

    /** The absolute URL of an API path on this daemon (e.g. a port's {@code proxy_url}). */
    public String url(String path) {
        return transport.endpoint().url() + path;
    }

    /** The caller's sandboxes. */
    public Sandboxes sandboxes() {
        return new Sandboxes(transport);
    }

    /** The caller's sandbox lifecycle events ({@code GET /events}). */
    public Events events() {
        return new Events(transport);
    }

    /** The daemon's metrics in the Prometheus text format ({@code GET /metrics}; the admin's key only). */
    public String metrics() {
        try (var r = transport.open("GET", "/metrics", Map.of(), null, -1); var in = r.body()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw transport.failed(e);
        }
    }

    /** The caller's secrets. */
    public Secrets secrets() {
        return new Secrets(transport);
    }

    /** The caller's volumes. */
    public Volumes volumes() {
        return new Volumes(transport);
    }

    /** The caller's templates. */
    public Templates templates() {
        return new Templates(transport);
    }

    /** {@code GET /health}: the daemon's status and version (no key needed). */
    public Health health() {
        return transport.call("GET", "/health", null, Health.class);
    }

    /** Listening ports of the caller's hot sandboxes ({@code GET /ports}); nothing is woken. */
    public List<Port> ports() {
        return Codec.list(transport.json("GET", "/ports", null), Port.class);
    }

    /** Plain HTTP to the API, for tests and calls the typed methods do not cover. */
    public Raw raw() {
        return new Raw(transport);
    }
}
