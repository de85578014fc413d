package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.proto.Json;
import dev.bhatti.sdk.NotFoundException;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.store.Limits;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API on the real engine: one sandbox of user "admin" booted once (with a secret, an
 * attached volume and labels) serves the CRUD, exec, files, sessions and isolation checks.
 */
class SandboxApiTest {
    private static final Map<String, String> NDJSON = Map.of("Content-Type", "application/json",
            "Accept", "application/x-ndjson");
    private static DaemonFixture fx;
    private static String admin;
    private static String bob;
    private static Map<String, Object> sandbox;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        admin = fx.adminKey;
        bob = fx.newUser("bob", Limits.DEFAULT);
        assertThat(fx.post(admin, "/secrets", "{\"name\":\"API_TOKEN\",\"value\":\"s3cr3t-value\"}").status()).isEqualTo(201);
        assertThat(fx.post(admin, "/volumes", "{\"name\":\"data\",\"size_mb\":32}").status()).isEqualTo(201);
        Raw.Response created = fx.post(admin, "/sandboxes", """
                {"name":"alpha","secrets":["API_TOKEN"],"env":{"GREETING":"hi"},
                 "volumes":[{"name":"data","mount":"/data"}],"labels":{"team":"red"}}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        sandbox = json(created.text());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    static Map<String, Object> json(String body) throws Exception {
        return Json.mapper().readValue(body, new TypeReference<>() {});
    }

    static List<Map<String, Object>> jsonList(String body) throws Exception {
        return Json.mapper().readValue(body, new TypeReference<>() {});
    }

    private static String id() {
        return (String) sandbox.get("id");
    }

    @Test
    void createdSandboxHasTheApiShape() {
        assertThat(sandbox).containsEntry("name", "alpha").containsEntry("status", "running")
                .containsEntry("thermal", "hot").containsEntry("cpus", 1).containsEntry("memory_mb", 512)
                .containsEntry("keep_hot", false).containsEntry("labels", Map.of("team", "red"));
        assertThat(sandbox).containsKeys("id", "created_at", "image");
    }

    @Test
    void sameNameAgainAnswersTheExistingSandboxWithoutBooting() throws Exception {
        Raw.Response again = fx.post(admin, "/sandboxes", "{\"name\":\"alpha\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("X-Bhatti-Existing")).hasValue("true");
        assertThat(json(again.text())).containsEntry("id", id());
    }

    @Test
    void getAndListByIdNameAndLabel() throws Exception {
        assertThat(json(fx.get(admin, "/sandboxes/alpha").text())).containsEntry("id", id());
        assertThat(json(fx.get(admin, "/sandboxes/" + id()).text())).containsEntry("name", "alpha");
        assertThat(jsonList(fx.get(admin, "/sandboxes?label=team=red").text())).extracting(m -> m.get("id")).contains(id());
        assertThat(jsonList(fx.get(admin, "/sandboxes?label=team=blue").text())).isEmpty();
    }

    @Test
    void bufferedExecSeesSecretEnvAndVolumeAndExitCode() throws Exception {
        Raw.Response r = fx.post(admin, "/sandboxes/alpha/exec",
                "{\"cmd\":[\"sh\",\"-c\",\"echo $API_TOKEN $GREETING; mountpoint -q /data && echo vol; echo err >&2; exit 3\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r.text())).containsEntry("exit_code", 3).containsEntry("stdout", "s3cr3t-value hi\nvol\n")
                .containsEntry("stderr", "err\n");
        Map<String, Object> missing = json(fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"no-such-binary\"]}").text());
        assertThat(missing).containsEntry("exit_code", 127);
        assertThat((String) missing.get("stderr")).contains("no-such-binary");
    }

    @Test
    void execRunsAsLoharUnlessTheRequestAsksForRoot() throws Exception {
        assertThat(json(fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"id\",\"-un\"]}").text()))
                .containsEntry("stdout", "lohar\n");
        assertThat(json(fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"id\",\"-u\"],\"user\":\"root\"}").text()))
                .containsEntry("stdout", "0\n").containsEntry("exit_code", 0);
        Raw.Response unknown = fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"id\"],\"user\":\"nobody\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(json(unknown.text())).containsEntry("code", "invalid_user");
        assertThat((String) json(unknown.text()).get("error")).contains("nobody");
    }

    /** Each event reaches the client when it happens: "a" long before the sleep ends, exit after it. */
    @Test
    void streamingExecDeliversEachEventWhenItHappens() throws Exception {
        fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"true\"]}"); // the agent's first exec pays for its JIT
        long start = System.nanoTime();
        List<String> lines = new java.util.ArrayList<>();
        List<Long> millis = new java.util.ArrayList<>();
        try (Raw.Streamed r = fx.raw(admin).open("POST", "/sandboxes/alpha/exec", NDJSON,
                "{\"cmd\":[\"sh\",\"-c\",\"echo a; sleep 3; echo b\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
             var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(r.headers()).doesNotContainKey("content-length");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        assertThat(lines).hasSize(3);
        assertThat(json(lines.get(0))).isEqualTo(Map.of("type", "stdout", "data", "a\n"));
        assertThat(json(lines.get(2))).isEqualTo(Map.of("type", "exit", "exit_code", 0));
        assertThat(millis.get(0)).as("first stdout event at %s ms", millis).isLessThan(1500);
        assertThat(millis.get(2)).as("exit event at %s ms", millis).isGreaterThanOrEqualTo(3000);
        assertThat(millis.get(2) - millis.get(0)).as("between first and exit event, %s ms", millis).isGreaterThanOrEqualTo(2500);
    }

    @Test
    void streamingExecSendsOneJsonEventPerLine() throws Exception {
        Raw.Response r = fx.send(admin, "POST", "/sandboxes/alpha/exec", NDJSON,
                "{\"cmd\":[\"sh\",\"-c\",\"echo one; echo two >&2; exit 4\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.header("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<Map<String, Object>> events = r.text().lines().map(l -> {
            try {
                return json(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        assertThat(events).contains(Map.of("type", "stdout", "data", "one\n"), Map.of("type", "stderr", "data", "two\n"));
        assertThat(events.getLast()).isEqualTo(Map.of("type", "exit", "exit_code", 4));
    }

    @Test
    void filesWriteReadHeadListAndTruncate() throws Exception {
        Raw.Response put = fx.send(admin, "PUT", "/sandboxes/alpha/files?path=/workspace/f.txt&mode=0600",
                "line 1\nline 2\nline 3\n");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        Raw.Response get = fx.get(admin, "/sandboxes/alpha/files?path=/workspace/f.txt");
        assertThat(get.text()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(get.header("X-File-Size")).hasValue("21");
        assertThat(get.header("Content-Length")).hasValue("21");
        Raw.Response cut = fx.get(admin, "/sandboxes/alpha/files?path=/workspace/f.txt&offset=2&limit=1");
        assertThat(cut.text()).isEqualTo("line 2\n");
        assertThat(cut.header("X-File-Size")).hasValue("21");
        assertThat(cut.header("Content-Length")).as("truncated reads have no length").isEmpty();
        Raw.Response head = fx.send(admin, "HEAD", "/sandboxes/alpha/files?path=/workspace/f.txt", Map.of(), null);
        assertThat(head.header("X-File-Mode")).hasValue("0600");
        assertThat(head.header("X-File-IsDir")).hasValue("false");
        assertThat(jsonList(fx.get(admin, "/sandboxes/alpha/files?path=/workspace&ls=true").text()))
                .extracting(m -> m.get("name")).contains("f.txt");
        assertThat(fx.get(admin, "/sandboxes/alpha/files?path=/workspace/nope").status()).isEqualTo(404);
        assertThat(fx.get(admin, "/sandboxes/alpha/files?path=/workspace").status()).isEqualTo(400);
    }

    @Test
    void procVersionIsReadWithTheKernelVersionAndATrueSize() throws Exception {
        Raw.Response get = fx.get(admin, "/sandboxes/alpha/files?path=/proc/version");

        assertThat(get.status()).as(get.text()).isEqualTo(200);
        assertThat(get.text()).startsWith("Linux version ").endsWith("\n");
        long bytes = get.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(get.header("X-File-Size")).hasValue(Long.toString(bytes));
        assertThat(get.header("Content-Length")).hasValue(Long.toString(bytes));
    }

    @Test
    void sessionsAreListedAndEmptyWhenNone() throws Exception {
        Raw.Response r = fx.get(admin, "/sandboxes/alpha/sessions");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).startsWith("[");
        assertThat(fx.delete(admin, "/sandboxes/alpha/sessions/s999").status()).isEqualTo(404);
    }

    @Test
    void anotherUserSeesNothingOfIt() throws Exception {
        for (String path : List.of("/sandboxes/alpha", "/sandboxes/" + id(), "/sandboxes/alpha/sessions",
                "/sandboxes/alpha/files?path=/workspace&ls=true", "/sandboxes/alpha/ports", "/volumes/data")) {
            Raw.Response r = fx.get(bob, path);
            assertThat(r.status()).as(path).isEqualTo(404);
        }
        assertThat(fx.post(bob, "/sandboxes/alpha/exec", "{\"cmd\":[\"true\"]}").status()).isEqualTo(404);
        assertThat(fx.post(bob, "/sandboxes/alpha/stop", "").status()).isEqualTo(404);
        assertThat(fx.delete(bob, "/sandboxes/alpha").status()).isEqualTo(404);
        assertThat(fx.delete(bob, "/secrets/API_TOKEN").status()).isEqualTo(404);
        assertThat(fx.delete(bob, "/volumes/data").status()).isEqualTo(404);
        assertThat(fx.patch(bob, "/sandboxes/alpha", "{\"keep_hot\":true}").status()).isEqualTo(404);
        assertThat(fx.send(bob, "PUT", "/sandboxes/alpha/files?path=/workspace/x", "x").status()).isEqualTo(404);
        assertThat(fx.send(bob, "HEAD", "/sandboxes/alpha/files?path=/workspace", Map.of(), null).status()).isEqualTo(404);
        assertThat(fx.delete(bob, "/sandboxes/alpha/sessions/s1").status()).isEqualTo(404);
        assertThat(jsonList(fx.get(bob, "/sandboxes").text())).isEmpty();
        assertThat(jsonList(fx.get(bob, "/secrets").text())).isEmpty();
        assertThat(jsonList(fx.get(bob, "/volumes").text())).isEmpty();
        assertThat(jsonList(fx.get(bob, "/ports").text())).isEmpty();
        var handshake = org.assertj.core.api.Assertions.catchThrowable(() -> fx.websocket(bob, "/sandboxes/alpha/ws",
                new java.net.http.WebSocket.Listener() {}));
        assertThat(handshake).isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void detachedExecAnswersPidAndOutputFileAndTimeoutKillsWith124() throws Exception {
        Map<String, Object> detached = json(fx.post(admin, "/sandboxes/alpha/exec",
                "{\"cmd\":[\"sh\",\"-c\",\"echo bg-out\"],\"detach\":true}").text());
        assertThat(detached).containsKeys("pid", "output_file");
        long start = System.nanoTime();
        Map<String, Object> timedOut = json(fx.post(admin, "/sandboxes/alpha/exec",
                "{\"cmd\":[\"sh\",\"-c\",\"sleep 30 & sleep 30\"],\"timeout_sec\":1}").text());
        assertThat(timedOut).containsEntry("exit_code", 124);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        Raw.Response ps = fx.post(admin, "/sandboxes/alpha/exec", "{\"cmd\":[\"sh\",\"-c\","
                + "\"ps -eo args | grep -c '^sleep 30' || true\"]}");
        assertThat(((String) json(ps.text()).get("stdout")).trim()).as("the whole process group was killed").isEqualTo("0");
        Raw.Response stream = fx.send(admin, "POST", "/sandboxes/alpha/exec", NDJSON,
                "{\"cmd\":[\"sleep\",\"30\"],\"timeout_sec\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(stream.text().lines().toList().getLast()).contains("\"type\":\"error\"")
                .contains("\"code\":\"exec_timeout\"").contains("timeout");
    }

    @Test
    void listeningGuestPortIsReportedForTheSandboxAndAcrossHotSandboxes() throws Exception {
        fx.post(admin, "/sandboxes/alpha/exec", "{\"detach\":true,\"cmd\":[\"python3\",\"-m\",\"http.server\",\"8765\"]}");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        String ports = fx.get(admin, "/sandboxes/alpha/ports").text();
        while (!ports.contains("8765") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000);
            ports = fx.get(admin, "/sandboxes/alpha/ports").text();
        }
        assertThat(jsonList(ports)).contains(Map.of("container_port", 8765, "proxy_url", "/sandboxes/" + id() + "/proxy/8765/"));
        assertThat(ports).doesNotContain("1024").doesNotContain("1025");
        assertThat(fx.get(admin, "/ports").text()).contains("8765");
    }

    @Test
    void volumeAttachedReadWriteCannotBeAttachedAgainAndNothingIsCreated() throws Exception {
        Raw.Response r = fx.post(admin, "/sandboxes", "{\"name\":\"beta\",\"volumes\":[{\"name\":\"data\",\"mount\":\"/d\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(409);
        assertThat(json(r.text())).containsEntry("code", "volume_attached");
        assertThat(fx.get(admin, "/sandboxes/beta").status()).isEqualTo(404);
        assertThat(json(fx.get(admin, "/volumes/data").text())).containsEntry("status", "attached");
    }

    @Test
    void secretsAreListedWithoutValuesAndNeverStoredInPlaintext() throws Exception {
        String list = fx.get(admin, "/secrets").text();
        assertThat(list).contains("API_TOKEN").doesNotContain("s3cr3t-value");
        for (String f : List.of("state.db", "state.db-wal")) {
            var file = fx.daemon.config().dataDir().resolve(f);
            if (Files.exists(file)) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(f).doesNotContain("s3cr3t-value");
            }
        }
    }

    @Test
    void attachedVolumeCannotBeDeleted() throws Exception {
        Raw.Response r = fx.delete(admin, "/volumes/data");
        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r.text())).containsEntry("code", "volume_attached");
        assertThat(fx.post(admin, "/volumes", "{\"name\":\"data\",\"size_mb\":8}").status()).isEqualTo(409);
    }
}
