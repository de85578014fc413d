package dev.bhatti.cli.sandbox;

import dev.bhatti.api.model.LifecycleEvent;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.sdk.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti events}: the caller's sandbox lifecycle events as they happen (GET /events), a line each. */
@Command(name = "events", description = "Print your sandboxes' lifecycle events as they happen (created, woke, paused, "
        + "stopped, started, destroyed, failed, forked, checkpointed, restored) until interrupted.")
public final class EventsCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = {"-s", "--sandbox"}, paramLabel = "SANDBOX", description = "only this sandbox's events (id or name)")
    String sandbox;
    @Option(names = "--after", paramLabel = "ID", description = "first the retained events after this event id")
    Long after;
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "exit after N events")
    Integer count;
    @Option(names = "--json", description = "one JSON object per line, as the API sends it") boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int[] seen = {0};
        options.bhatti().events().follow(sandbox, after == null ? -1 : after, e -> {
            out.println(json ? Json.write(wire(e)) : line(e));
            out.flush();
            return count == null || ++seen[0] < count;
        });
    }

    /** {@code TIME TYPE NAME (ID) cause=C [FROM→TO] [N ms] [detail]}. */
    static String line(LifecycleEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(e.time()).append("  ").append(String.format("%-12s", e.type())).append(' ')
                .append(e.sandboxName() == null ? "-" : e.sandboxName()).append(" (").append(e.sandboxId()).append(")")
                .append("  cause=").append(e.cause());
        if (e.from() != null || e.thermal() != null) {
            b.append("  ").append(e.from() == null ? "?" : e.from()).append("→").append(e.thermal() == null ? "?" : e.thermal());
        }
        if (e.durationMs() != null) {
            b.append("  ").append(e.durationMs()).append(" ms");
        }
        if (e.detail() != null) {
            b.append("  ").append(e.detail());
        }
        return b.toString();
    }

    private static Map<String, Object> wire(LifecycleEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time());
        m.put("type", e.type());
        m.put("sandbox_id", e.sandboxId());
        put(m, "sandbox_name", e.sandboxName());
        m.put("cause", e.cause());
        put(m, "from", e.from());
        put(m, "thermal", e.thermal());
        put(m, "duration_ms", e.durationMs());
        put(m, "detail", e.detail());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
