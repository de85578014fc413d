package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of a sandbox's VMM seen through the real daemon with real VMs: a QEMU killed behind the
 * daemon's back (noticed, reported, brought back by start with its disk), and execs racing a
 * stop/start loop (each runs or answers a clear 409/503 with a code, never a 500).
 */
class VmmFaultsTest {
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void killedVmmIsReportedAndStartRebootsItOnItsDisk() throws Exception {
        String id = create("crash");
        Raw.Response write = exec(id, "echo kept > /workspace/kept && sync");
        assertThat(write.status()).as(write.text()).isEqualTo(200);
        assertThat(SandboxApiTest.json(write.text()).get("exit_code")).isEqualTo(0);

        killVmm(id);
        Map<String, Object> failed = awaitStatus(id, "failed", Duration.ofSeconds(1));
        assertThat(failed.get("status")).as("GET after the VMM died: " + failed).isEqualTo("failed");
        assertThat((String) failed.get("reason")).contains("exited unexpectedly");
        List<Map<String, Object>> list = SandboxApiTest.jsonList(fx.get(fx.adminKey, "/sandboxes").text());
        assertThat(list).filteredOn(s -> id.equals(s.get("id"))).singleElement()
                .satisfies(s -> assertThat(s.get("status")).isEqualTo("failed"));

        for (int i = 0; i < 2; i++) {
            Raw.Response refused = exec(id, "true");
            assertThat(refused.status()).as(refused.text()).isEqualTo(409);
            Map<String, Object> body = SandboxApiTest.json(refused.text());
            assertThat(body.get("code")).isEqualTo("sandbox_failed");
            assertThat((String) body.get("error")).contains("exited unexpectedly").contains("/start");
        }

        Raw.Response started = fx.post(fx.adminKey, "/sandboxes/" + id + "/start", "{}");
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        Map<String, Object> view = SandboxApiTest.json(started.text());
        assertThat(view.get("status")).isEqualTo("running");
        assertThat(view.get("thermal")).isEqualTo("hot");
        assertThat(view.get("started_from")).as(started.text()).isEqualTo("disk");
        assertThat(view).doesNotContainKey("reason");

        Raw.Response read = exec(id, "cat /workspace/kept");
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(SandboxApiTest.json(read.text()).get("stdout")).isEqualTo("kept\n");
        assertThat(fx.delete(fx.adminKey, "/sandboxes/" + id).status()).isEqualTo(200);
    }

    @Test
    void execsRacingStopAndStartRunOrAnswerACodeNeverA500() throws Exception {
        String id = create("race");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
        Thread cycler = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                for (String op : List.of("stop", "start")) {
                    record(outcomes, bad, op, () -> fx.post(fx.adminKey, "/sandboxes/" + id + "/" + op, "{}"));
                }
            }
        });
        List<Thread> execs = java.util.stream.IntStream.range(0, 3).mapToObj(n -> Thread.ofVirtual().start(() -> {
            while (running.get()) {
                record(outcomes, bad, "exec", () -> exec(id, "echo ok"));
            }
        })).toList();
        LockSupport.parkNanos(Duration.ofSeconds(25).toNanos());
        running.set(false);
        cycler.join(Duration.ofMinutes(3));
        for (Thread t : execs) {
            t.join(Duration.ofMinutes(3));
        }
        System.out.println("race outcomes " + outcomes);
        assertThat(bad).as("responses that are 5xx without a code, or neither 200 nor 409/503 (outcomes " + outcomes + ")")
                .isEmpty();
        int answered = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("exec ")).mapToInt(Map.Entry::getValue).sum();
        assertThat(answered).as("execs answered " + outcomes).isGreaterThan(10);
        assertThat(outcomes.getOrDefault("stop 200", 0)).as("stops " + outcomes).isPositive();
        assertThat(fx.delete(fx.adminKey, "/sandboxes/" + id).status()).isEqualTo(200);
    }

    @FunctionalInterface
    private interface Call {
        Raw.Response send() throws Exception;
    }

    private static void record(Map<String, Integer> outcomes, ConcurrentLinkedQueue<String> bad, String op, Call call) {
        String key;
        try {
            Raw.Response r = call.send();
            Object code = r.status() == 200 ? null : SandboxApiTest.json(r.text()).get("code");
            key = op + " " + r.status() + (code == null ? "" : " " + code);
            boolean ok = r.status() == 200 || ((r.status() == 409 || r.status() == 503) && code != null);
            if (!ok) {
                bad.add(op + " " + r.status() + " " + r.text());
            }
        } catch (Exception e) {
            key = op + " failed";
            bad.add(op + " threw " + e);
        }
        outcomes.merge(key, 1, Integer::sum);
    }

    private static String create(String name) throws Exception {
        Raw.Response r = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return (String) SandboxApiTest.json(r.text()).get("id");
    }

    private static Raw.Response exec(String id, String script) throws Exception {
        return fx.post(fx.adminKey, "/sandboxes/" + id + "/exec",
                "{\"cmd\":[\"sh\",\"-c\"," + dev.bhatti.proto.Json.mapper().writeValueAsString(script) + "]}");
    }

    /** SIGKILLs the QEMU of this one sandbox, found by its directory in the command line, and waits until it is gone. */
    private static void killVmm(String id) throws Exception {
        Path dir = fx.daemon.config().dataDir().resolve("sandboxes").resolve(id);
        List<ProcessHandle> qemu = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dir + "/"))
                        .orElse(false))
                .toList();
        assertThat(qemu).as("QEMU of " + id).hasSize(1);
        qemu.getFirst().destroyForcibly();
        qemu.getFirst().onExit().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, Object> awaitStatus(String id, String status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Object> view;
        do {
            view = SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/" + id).text());
            if (status.equals(view.get("status"))) {
                return view;
            }
            LockSupport.parkNanos(20_000_000);
        } while (System.nanoTime() < deadline);
        return view;
    }
}
