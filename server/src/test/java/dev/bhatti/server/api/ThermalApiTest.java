package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bhatti.api.model.LifecycleEvent;
import java.util.List;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The thermal manager inside the daemon with short timeouts (cycle 250 ms, warm after 2 s, cold
 * after 5 s): an idle sandbox goes warm then cold while list and get never wake it; any request
 * brings it back; an attached WebSocket shell keeps it hot; a keep_hot sandbox is never paused.
 */
class ThermalApiTest {
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture(c -> c.withThermal(Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"idle\"}").status()).isEqualTo(201);
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"pinned\",\"keep_hot\":true}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String thermal(String name) throws Exception {
        return (String) SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/" + name).text()).get("thermal");
    }

    /** Polls GET (which never wakes) until the thermal state matches, or the deadline passes. */
    private static String awaitThermal(String name, Predicate<String> want, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String now = thermal(name);
        while (!want.test(now) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000);
            now = thermal(name);
        }
        return now;
    }

    @Test
    void idleSandboxGoesWarmThenColdWithoutBeingWokenByListOrGetAndARequestBringsItBack() throws Exception {
        fx.post(fx.adminKey, "/sandboxes/idle/exec", "{\"cmd\":[\"true\"]}");
        assertThat(thermal("idle")).isEqualTo("hot");
        assertThat(fx.get(fx.adminKey, "/sandboxes/idle/files?path=/nope").status())
                .as("a failed request releases its hold too, or the sandbox would never cool").isEqualTo(404);
        assertThat(awaitThermal("idle", "warm"::equals, Duration.ofSeconds(60))).isEqualTo("warm");
        assertThat(awaitThermal("idle", "cold"::equals, Duration.ofSeconds(60))).isEqualTo("cold");
        assertThat(fx.get(fx.adminKey, "/sandboxes").text()).contains("\"thermal\":\"cold\"");
        assertThat(thermal("idle")).isEqualTo("cold");
        var r = fx.post(fx.adminKey, "/sandboxes/idle/exec", "{\"cmd\":[\"echo\",\"back\"]}");
        assertThat(SandboxApiTest.json(r.text())).containsEntry("stdout", "back\n");
        assertThat(thermal("idle")).isEqualTo("hot");
        assertThat(thermal("pinned")).as("keep_hot is never paused").isEqualTo("hot");

        // The event stream tells the story with its causes: the thermal manager cooled it, a request woke it.
        String id = (String) SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/idle").text()).get("id");
        List<LifecycleEvent> story = EventsSeen.until(fx.client(fx.adminKey), "idle",
                e -> e.type().equals("woke") && "cold".equals(e.from()), Duration.ofSeconds(30));
        assertThat(story).extracting(LifecycleEvent::sandboxId).containsOnly(id);
        assertThat(story).extracting(LifecycleEvent::type, LifecycleEvent::cause, LifecycleEvent::from, LifecycleEvent::thermal)
                .containsSubsequence(tuple("paused", "thermal", "hot", "warm"), tuple("stopped", "thermal", "warm", "cold"),
                        tuple("woke", "api", "cold", "hot"));
        assertThat(story.getLast().durationMs()).as("how long the restore took").isPositive();
    }

    @Test
    void attachedShellKeepsItHotPastTheIdleTimeout() throws Exception {
        fx.post(fx.adminKey, "/sandboxes/idle/exec", "{\"cmd\":[\"true\"]}");
        TerminalAndLifecycleTest.Client client = new TerminalAndLifecycleTest.Client();
        WebSocket ws = fx.websocket(fx.adminKey, "/sandboxes/idle/ws", client);
        Map<String, Object> hello = SandboxApiTest.json(client.texts.poll(60, TimeUnit.SECONDS));
        assertThat(hello).containsEntry("type", "session");
        assertThat(awaitThermal("idle", t -> !t.equals("hot"), Duration.ofSeconds(6))).as("held hot by the shell")
                .isEqualTo("hot");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        assertThat(awaitThermal("idle", "warm"::equals, Duration.ofSeconds(60))).isEqualTo("warm");
        assertThat(thermal("pinned")).isEqualTo("hot");
    }
}
