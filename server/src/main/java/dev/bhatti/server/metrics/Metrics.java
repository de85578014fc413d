package dev.bhatti.server.metrics;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.HostUsage;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.server.events.Cause;
import dev.bhatti.server.events.EventType;
import dev.bhatti.server.events.SandboxEvent;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daemon's Prometheus metrics ({@code GET /metrics}, docs/metrics.md): counters and histograms
 * fed by the API, exec and the lifecycle events, and gauges read from the engine and the store at
 * each scrape. Names follow Prometheus' conventions: {@code bhatti_} prefix, base units,
 * {@code _total} counters, {@code _seconds} and {@code _bytes}.
 */
public final class Metrics {
    /** Buckets for operations that take from milliseconds (a warm wake) to minutes (a boot under TCG). */
    private static final double[] LIFECYCLE = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    private static final double[] REQUEST = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60};
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("bhatti_api_requests_total")
            .help("API requests answered, by method, route template and status").labelNames("method", "route", "status")
            .register(registry);
    private final Histogram requestSeconds = Histogram.builder().name("bhatti_api_request_duration_seconds")
            .help("Time to answer an API request (streams: until they end), by method and route template")
            .labelNames("method", "route").classicOnly().classicUpperBounds(REQUEST).register(registry);
    private final Counter rateLimited = Counter.builder().name("bhatti_rate_limited_total")
            .help("Requests refused by a per-user rate limit (429), by route template").labelNames("route").register(registry);
    private final Counter execs = Counter.builder().name("bhatti_execs_total")
            .help("Commands run through POST /sandboxes/:id/exec, by mode (buffered, stream, detach) and outcome")
            .labelNames("mode", "outcome").register(registry);
    private final Histogram execSeconds = Histogram.builder().name("bhatti_exec_duration_seconds")
            .help("Time from an exec request to its command's exit (detach: to its start), by mode")
            .labelNames("mode").classicOnly().classicUpperBounds(REQUEST).register(registry);
    private final Counter events = Counter.builder().name("bhatti_sandbox_events_total")
            .help("Sandbox lifecycle events (GET /events), by type and cause").labelNames("type", "cause").register(registry);
    private final Histogram restoreSeconds = Histogram.builder().name("bhatti_restore_duration_seconds")
            .help("Time to bring a cold sandbox back from its snapshot (wake or start), by cause")
            .labelNames("cause").classicOnly().classicUpperBounds(LIFECYCLE).register(registry);
    private final Histogram resumeSeconds = Histogram.builder().name("bhatti_resume_duration_seconds")
            .help("Time to wake a warm (paused) sandbox, by cause").labelNames("cause").classicOnly()
            .classicUpperBounds(LIFECYCLE).register(registry);
    private final Histogram snapshotSeconds = Histogram.builder().name("bhatti_snapshot_duration_seconds")
            .help("Time to snapshot a sandbox to disk and end its VMM (stop), by cause").labelNames("cause").classicOnly()
            .classicUpperBounds(LIFECYCLE).register(registry);
    private final Histogram createSeconds = Histogram.builder().name("bhatti_create_duration_seconds")
            .help("Time for the engine to make a new sandbox's VM answer (boot, image snapshot, fork, checkpoint)")
            .classicOnly().classicUpperBounds(LIFECYCLE).register(registry);
    private final Counter previewWakes = Counter.builder().name("bhatti_public_preview_wakes_total")
            .help("Sandboxes woken by traffic to a public preview URL").register(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** Each sandbox's host usage, read once per scrape for both the memory and the disk gauge. */
    private final ScrapeOnce<List<Usage>> usage;

    public Metrics(Engine engine, Store store) {
        this.usage = new ScrapeOnce<>(() -> usage(engine, store));
        // every series a scraper may graph is there from the start, at 0
        for (String mode : new String[] {"buffered", "stream", "detach"}) {
            execs.initLabelValues(mode, "ok");
            execs.initLabelValues(mode, "error");
            execSeconds.initLabelValues(mode);
        }
        for (Cause c : Cause.values()) {
            restoreSeconds.initLabelValues(c.wire());
            resumeSeconds.initLabelValues(c.wire());
            snapshotSeconds.initLabelValues(c.wire());
            for (EventType t : EventType.values()) {
                events.initLabelValues(t.wire(), c.wire());
            }
        }
        GaugeWithCallback.builder().name("bhatti_sandboxes").help("Sandboxes the engine runs, by thermal state")
                .labelNames("thermal").callback(cb -> {
                    Map<Thermal, Integer> n = new EnumMap<>(Thermal.class);
                    for (Thermal t : Thermal.values()) {
                        n.put(t, 0);
                    }
                    engine.list().forEach(v -> n.merge(v.thermal(), 1, Integer::sum));
                    n.forEach((t, c) -> cb.call(c, lower(t)));
                }).register(registry);
        GaugeWithCallback.builder().name("bhatti_user_sandboxes").help("Sandboxes in the store, by owner (user name)")
                .labelNames("user").callback(cb -> {
                    Map<String, Integer> n = new HashMap<>();
                    store.allSandboxes().forEach(r -> n.merge(r.userId(), 1, Integer::sum));
                    Map<String, String> names = new HashMap<>();
                    store.users().forEach(u -> names.put(u.id(), u.name()));
                    n.forEach((user, c) -> cb.call(c, names.getOrDefault(user, user)));
                }).register(registry);
        GaugeWithCallback.builder().name("bhatti_sandbox_memory_bytes")
                .help("Resident memory of each sandbox's VMM on the host (0 when cold)").labelNames("sandbox", "name")
                .callback(cb -> usage.get().forEach(u -> {
                    if (u.usage().memoryBytes() >= 0) {
                        cb.call(u.usage().memoryBytes(), u.id(), u.name());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("bhatti_sandbox_disk_bytes")
                .help("Bytes each sandbox's files hold on the host's disk (disk, memory snapshot; holes not counted)")
                .labelNames("sandbox", "name").callback(cb -> usage.get().forEach(u -> {
                    if (u.usage().diskBytes() >= 0) {
                        cb.call(u.usage().diskBytes(), u.id(), u.name());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("bhatti_daemon_memory_bytes")
                .help("The daemon's own memory: resident set, Java heap used and committed").labelNames("area")
                .callback(cb -> {
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    cb.call(heap.getUsed(), "heap_used");
                    cb.call(heap.getCommitted(), "heap_committed");
                    long rss = HostUsage.residentBytes(java.nio.file.Path.of("/proc/self/status"));
                    if (rss >= 0) {
                        cb.call(rss, "rss");
                    }
                }).register(registry);
    }

    private record Usage(String id, String name, HostUsage usage) {}

    /** A value computed at most once per scrape: the gauges of one scrape share it. */
    private static final class ScrapeOnce<T> {
        private final java.util.function.Supplier<T> compute;
        private T value;

        ScrapeOnce(java.util.function.Supplier<T> compute) {
            this.compute = compute;
        }

        T get() {
            if (value == null) {
                value = compute.get();
            }
            return value;
        }

        void reset() {
            value = null;
        }
    }

    private static List<Usage> usage(Engine engine, Store store) {
        Map<String, String> names = new HashMap<>();
        store.allSandboxes().forEach(r -> names.put(r.id(), r.name()));
        return engine.list().stream().map(VmInfo::id).map(id -> {
            try {
                return new Usage(id, names.getOrDefault(id, ""), engine.hostUsage(id));
            } catch (EngineException e) {
                return new Usage(id, names.getOrDefault(id, ""), HostUsage.UNKNOWN);
            }
        }).toList();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Counts an answered API request; {@code route} is its template, or "unmatched". */
    public void request(String method, String route, int status, long nanos) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        requestSeconds.labelValues(method, route).observe(nanos / 1e9);
        if (status == 429) {
            rateLimited.labelValues(route).inc();
        }
    }

    /** Counts an exec and how long it took. */
    public void exec(String mode, boolean ok, long nanos) {
        execs.labelValues(mode, ok ? "ok" : "error").inc();
        execSeconds.labelValues(mode).observe(nanos / 1e9);
    }

    /** Feeds a lifecycle event into the counters and duration histograms. */
    public void event(SandboxEvent e) {
        String cause = e.cause().wire();
        events.labelValues(e.type().wire(), cause).inc();
        Double seconds = e.durationMs() == null ? null : e.durationMs() / 1000.0;
        if (e.type() == EventType.WOKE && e.cause() == Cause.PUBLIC_PREVIEW) {
            previewWakes.inc();
        }
        if (seconds == null) {
            return;
        }
        boolean fromCold = e.from() == Thermal.COLD;
        switch (e.type()) {
            case WOKE, STARTED -> {
                if (fromCold) {
                    restoreSeconds.labelValues(cause).observe(seconds);
                } else if (e.from() == Thermal.WARM) {
                    resumeSeconds.labelValues(cause).observe(seconds);
                }
            }
            case STOPPED -> snapshotSeconds.labelValues(cause).observe(seconds);
            case CREATED -> createSeconds.observe(seconds);
            default -> { }
        }
    }

    /** Writes every metric in the Prometheus text format (0.0.4). */
    public synchronized void write(OutputStream out) throws IOException {
        usage.reset();
        writer.write(out, registry.scrape());
    }
}
