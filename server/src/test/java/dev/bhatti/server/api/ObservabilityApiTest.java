package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.api.model.LifecycleEvent;
import dev.bhatti.server.store.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} and {@code GET /metrics} on a real daemon with a real VM: events arrive on
 * an open stream as each change happens, in order, only to the sandbox's owner, and resume after
 * an id; the metrics parse with Prometheus' own parser, answer only the admin, and count what the
 * test did (requests, an exec, a snapshot and a restore) with the VM's host memory and disk.
 */
class ObservabilityApiTest {
    private static DaemonFixture fx;
    private static String bob;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        bob = fx.newUser("bob", Limits.DEFAULT);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** Follows {@code GET /events} on a thread of its own; the stream ends when the daemon stops. */
    static BlockingQueue<LifecycleEvent> follow(String key, String sandbox, long after) {
        BlockingQueue<LifecycleEvent> q = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                fx.client(key).events().follow(sandbox, after, q::add);
            } catch (RuntimeException e) {
                // the daemon went away at the end of the class
            }
        });
        return q;
    }

    /** The next event of {@code q} for sandbox {@code id}, within 60 s. */
    private static LifecycleEvent next(BlockingQueue<LifecycleEvent> q, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            LifecycleEvent e = q.poll(1, TimeUnit.SECONDS);
            if (e != null && e.sandboxId().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no event for " + id + " within 60 s");
    }

    private static PrometheusText scrape() throws Exception {
        var r = fx.get(fx.adminKey, "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(r.text());
    }

    @Test
    void lifecycleEventsArriveLiveInOrderOnlyToTheOwnerResumeAfterAnIdAndFeedTheMetrics() throws Exception {
        BlockingQueue<LifecycleEvent> mine = follow(fx.adminKey, null, 0);
        BlockingQueue<LifecycleEvent> bobs = follow(bob, null, 0);
        PrometheusText before = scrape();

        var created = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"watched\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = (String) SandboxApiTest.json(created.text()).get("id");
        BlockingQueue<LifecycleEvent> only = follow(fx.adminKey, id, 0);
        List<LifecycleEvent> live = new ArrayList<>();
        // Each event must be on the open stream before the next request is sent: a buffered stream never is.
        live.add(next(mine, id));
        assertThat(fx.post(fx.adminKey, "/sandboxes/watched/exec", "{\"cmd\":[\"true\"]}").status()).isEqualTo(200);
        assertThat(fx.post(fx.adminKey, "/sandboxes/watched/stop", "{}").status()).isEqualTo(200);
        live.add(next(mine, id));
        assertThat(fx.post(fx.adminKey, "/sandboxes/watched/start", "{}").status()).isEqualTo(200);
        live.add(next(mine, id));
        PrometheusText hot = scrape();
        assertThat(fx.delete(fx.adminKey, "/sandboxes/watched").status()).isEqualTo(200);
        live.add(next(mine, id));

        assertThat(live).extracting(LifecycleEvent::type).containsExactly("created", "stopped", "started", "destroyed");
        assertThat(live).extracting(LifecycleEvent::sandboxName).containsOnly("watched");
        assertThat(live).extracting(LifecycleEvent::cause).containsOnly("api");
        assertThat(live).extracting(LifecycleEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(live.get(0).thermal()).isEqualTo("hot");
        assertThat(live.get(1)).extracting(LifecycleEvent::from, LifecycleEvent::thermal).containsExactly("hot", "cold");
        assertThat(live.get(2)).extracting(LifecycleEvent::from, LifecycleEvent::thermal).containsExactly("cold", "hot");
        assertThat(live.subList(0, 3)).allSatisfy(e -> assertThat(e.durationMs()).isPositive());

        assertThat(bobs.poll(2, TimeUnit.SECONDS)).as("another user's stream shows nothing of this sandbox").isNull();
        assertThat(fx.get(bob, "/events?sandbox=" + id).status()).as("nor can it name it").isEqualTo(404);

        // A client that lost its connection after the first event resumes with Last-Event-ID.
        List<LifecycleEvent> resumed = new ArrayList<>();
        fx.client(fx.adminKey).events().follow(null, live.get(0).id(), e -> {
            resumed.add(e);
            return !e.type().equals("destroyed");
        });
        assertThat(resumed).extracting(LifecycleEvent::id).containsExactlyElementsOf(live.subList(1, 4).stream()
                .map(LifecycleEvent::id).toList());
        List<LifecycleEvent> filtered = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            filtered.add(only.poll(60, TimeUnit.SECONDS));
        }
        assertThat(filtered).as("?sandbox= shows this sandbox's events, the same ones")
                .extracting(LifecycleEvent::id).containsExactlyElementsOf(live.stream().map(LifecycleEvent::id).toList());

        PrometheusText after = scrape();
        assertThat(after.value("bhatti_execs_total", Map.of("mode", "buffered", "outcome", "ok"))
                - before.value("bhatti_execs_total", Map.of("mode", "buffered", "outcome", "ok"))).isEqualTo(1);
        assertThat(after.value("bhatti_exec_duration_seconds_count", Map.of("mode", "buffered"))
                - before.value("bhatti_exec_duration_seconds_count", Map.of("mode", "buffered"))).isEqualTo(1);
        assertThat(after.value("bhatti_snapshot_duration_seconds_count", Map.of("cause", "api"))).isEqualTo(1);
        assertThat(after.value("bhatti_restore_duration_seconds_count", Map.of("cause", "api"))).isEqualTo(1);
        assertThat(after.value("bhatti_sandbox_events_total", Map.of("type", "destroyed", "cause", "api"))).isEqualTo(1);
        assertThat(hot.value("bhatti_sandbox_memory_bytes", Map.of("sandbox", id, "name", "watched")))
                .as("the hot VM's QEMU resident memory").isGreaterThan(50e6);
        assertThat(hot.value("bhatti_sandbox_disk_bytes", Map.of("sandbox", id))).isGreaterThan(1e6);
        assertThat(hot.value("bhatti_sandboxes", Map.of("thermal", "hot"))).isEqualTo(1);
        assertThat(after.has("bhatti_sandbox_memory_bytes", Map.of("sandbox", id))).as("a destroyed sandbox is gone").isFalse();
    }

    @Test
    void metricsAnswerOnlyTheAdminInPrometheusTextAndCountEachRequestByRouteTemplate() throws Exception {
        var refused = fx.get(bob, "/metrics");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("\"code\":\"admin_only\"");
        assertThat(fx.get(null, "/metrics").status()).isEqualTo(401);

        PrometheusText before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(fx.get(fx.adminKey, "/sandboxes/nope-" + i).status()).isEqualTo(404);
        }
        fx.get(fx.adminKey, "/no/such/route");
        PrometheusText after = scrape();
        Map<String, String> route = Map.of("method", "GET", "route", "/sandboxes/{id}", "status", "404");
        assertThat(after.value("bhatti_api_requests_total", route) - before.value("bhatti_api_requests_total", route))
                .as("three GETs of unknown sandboxes, counted under the route's template").isEqualTo(3);
        Map<String, String> unmatched = Map.of("route", "unmatched", "status", "404");
        assertThat(after.value("bhatti_api_requests_total", unmatched) - before.value("bhatti_api_requests_total", unmatched))
                .isEqualTo(1);
        assertThat(after.value("bhatti_api_request_duration_seconds_count", Map.of("route", "/sandboxes/{id}"))
                - before.value("bhatti_api_request_duration_seconds_count", Map.of("route", "/sandboxes/{id}"))).isEqualTo(3);
        assertThat(after.value("bhatti_daemon_memory_bytes", Map.of("area", "rss"))).isGreaterThan(50e6);
        assertThat(after.families().keySet()).allSatisfy(name -> assertThat(name).startsWith("bhatti_"));
        assertThat(after.families().get("bhatti_api_requests").type()).isEqualTo("counter");
        assertThat(after.families().get("bhatti_exec_duration_seconds").type()).isEqualTo("histogram");
        assertThat(after.families().values()).allSatisfy(f -> assertThat(f.help()).isNotBlank());
    }
}
