package dev.bhatti.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon as a real process, killed and restarted (SPEC §7): after SIGKILL the running sandbox
 * answers again with its counter process still counting; after SIGTERM every sandbox is cold
 * (no QEMU left) and usable after the restart.
 */
class RestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path root;
    private DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        root = Files.createTempDirectory("bhatti-restart-test-");
        daemon = new DaemonProcess(root);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, Object> json(String body) throws Exception {
        return JSON.readValue(body, new TypeReference<>() {});
    }

    private long counter(String key) throws Exception {
        HttpResponse<String> r = daemon.post(key, "/sandboxes/counter/exec", "{\"cmd\":[\"cat\",\"/workspace/counter\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Long.parseLong(((String) json(r.body()).get("stdout")).trim());
    }

    private long awaitCounterAbove(String key, long floor) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long now = counter(key);
        while (now <= floor && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000_000);
            now = counter(key);
        }
        return now;
    }

    @Test
    void sandboxSurvivesADaemonKilledWithSigkillWithItsProcessStillCounting() throws Exception {
        daemon.start();
        String key = daemon.adminKey();
        assertThat(daemon.post(key, "/sandboxes", "{\"name\":\"counter\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> bg = daemon.post(key, "/sandboxes/counter/exec", "{\"detach\":true,\"cmd\":[\"sh\",\"-c\","
                + "\"i=0; while true; do i=$((i+1)); echo $i > /workspace/counter; sleep 0.2; done\"]}");
        assertThat(bg.statusCode()).as(bg.body()).isEqualTo(200);
        long before = awaitCounterAbove(key, 0);

        daemon.killHard();
        Duration recovery = daemon.start();
        System.out.println("restart after SIGKILL: healthy in " + recovery.toMillis() + " ms");

        assertThat(daemon.vmms()).as("the orphaned VMM was snapshotted and ended").isEmpty();
        assertThat(json(daemon.get(key, "/sandboxes/counter").body())).containsEntry("thermal", "cold");
        long after = awaitCounterAbove(key, before);
        assertThat(after).as("the counter kept its value and keeps counting").isGreaterThan(before);
        assertThat(awaitCounterAbove(key, after)).isGreaterThan(after);
    }

    @Test
    void sigtermSnapshotsEverySandboxAndAllAreUsableAfterRestart() throws Exception {
        daemon.start();
        String key = daemon.adminKey();
        for (String name : new String[] {"one", "two"}) {
            assertThat(daemon.post(key, "/sandboxes", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);
            assertThat(daemon.post(key, "/sandboxes/" + name + "/exec",
                    "{\"cmd\":[\"sh\",\"-c\",\"echo kept-" + name + " > /workspace/f\"]}").statusCode()).isEqualTo(200);
        }
        assertThat(daemon.terminate()).isIn(0, 143);
        assertThat(daemon.vmms()).as("no QEMU after graceful shutdown").isEmpty();

        Duration recovery = daemon.start();
        System.out.println("restart after SIGTERM: healthy in " + recovery.toMillis() + " ms");
        for (String name : new String[] {"one", "two"}) {
            assertThat(json(daemon.get(key, "/sandboxes/" + name).body())).containsEntry("thermal", "cold");
            HttpResponse<String> r = daemon.post(key, "/sandboxes/" + name + "/exec", "{\"cmd\":[\"cat\",\"/workspace/f\"]}");
            assertThat(json(r.body())).containsEntry("stdout", "kept-" + name + "\n");
        }
    }
}
