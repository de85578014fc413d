package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.ConnectionException;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random method × path × body combinations against a real daemon: none may answer
 * 5xx. The fuzzing user is at its sandbox quota (one stored sandbox), so a body that happens to be
 * a valid create is refused with 429 after validation instead of booting VMs.
 */
class RequestFuzzTest {
    private static final int REQUESTS = 3000;
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    private static final String[] PATHS = {"/health", "/sandboxes", "/sandboxes/held", "/sandboxes/nope",
        "/sandboxes/held/exec", "/sandboxes/held/files?path=/x", "/sandboxes/held/files?path=/x&ls=true",
        "/sandboxes/held/files?path=/x&offset=-1", "/sandboxes/held/files", "/sandboxes/held/sessions",
        "/sandboxes/held/sessions/s1", "/sandboxes/held/ports", "/sandboxes/held/stop", "/sandboxes/held/start",
        "/sandboxes/held/ws", "/ports", "/templates", "/templates/x", "/secrets", "/secrets/X", "/volumes",
        "/volumes/v", "/sandboxes?label=a", "/sandboxes?label=a=b", "/%2e%2e/health", "/sandboxes/%00",
        "/sandboxes/" + "a".repeat(300), "/", "/nope/nope", "/sandboxes//exec"};
    private static final String[] BODIES = {"", "{}", "[]", "null", "1", "\"s\"", "{\"name\":\"x\"}",
        "{\"name\":\"\"}", "{\"name\":null}", "{\"cpus\":-1}", "{\"cpus\":1e400}", "{\"memory_mb\":1000000000000}",
        "{\"cmd\":[]}", "{\"cmd\":[\"true\"],\"timeout_sec\":-5}", "{\"cmd\":\"true\"}", "{\"cmd\":[null]}",
        "{\"name\":\"v\",\"size_mb\":-1}", "{\"name\":\"S\",\"value\":null}", "{\"keep_hot\":\"yes\"}",
        "{\"labels_add\":{\"\":\"x\"}}", "{\"files\":[{\"path\":\"/a\",\"content\":\"!!\"}]}",
        "{\"volumes\":[{}]}", "{\"new_volumes\":[{\"size_mb\":0}]}", "{{{{", "\u0000\u0001\u0002",
        "{\"name\":\"ok-name\",\"env\":{\"A\":1}}", "{\"force\":1}", "{\"port\":70000}"};

    private static DaemonFixture fx;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        key = fx.newUser("fuzz", new Limits(1, 4, 4096, 64));
        try (var store = SqliteStore.open(fx.daemon.config().dataDir())) {
            String user = store.userByName("fuzz").orElseThrow().id();
            store.insertSandbox(new SandboxRow("sb-held", user, "held", "stopped", 1, 512, null, "minimal", null, false,
                    Map.of(), Instant.now(), null, null));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void noRandomRequestGetsA5xx() throws Exception {
        Random random = new Random(20261125);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = PATHS[random.nextInt(PATHS.length)];
            String body = BODIES[random.nextInt(BODIES.length)];
            String k = random.nextInt(10) > 0 ? key : null;
            Raw.Response r;
            try {
                r = fx.raw(k).send(method, path, Map.of(), body.isEmpty() ? null : body.getBytes(StandardCharsets.UTF_8));
            } catch (ConnectionException e) {
                failures.add(method + " " + path + " " + body + " -> no answer: " + e.getMessage());
                continue;
            }
            if (r.status() >= 500) {
                failures.add(method + " " + path + " " + body + " -> " + r.status() + " " + r.text());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(fx.daemon.config().dataDir().resolve("sandboxes").toFile().list()).isNullOrEmpty();
    }
}
