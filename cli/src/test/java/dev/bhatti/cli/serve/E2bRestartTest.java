package dev.bhatti.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.sdk.Raw;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An E2B process outlives the daemon that started it: after a graceful restart (every sandbox
 * snapshotted to disk) the new daemon lists it by the same pid and tag, follows its output from
 * now on, and kills it. Spoken as the e2b SDK speaks: envd's Connect protocol with JSON.
 */
class E2bRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TICK = Pattern.compile("tick-(\\d+)\n");

    private DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = DaemonProcess.inTempDir("bhatti-e2b-restart-");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.closeAndRemove();
    }

    private record Box(String id, String token) {}

    private Map<String, String> envd(Box box, String contentType) {
        return Map.of("E2b-Sandbox-Id", box.id(), "X-Access-Token", box.token(), "Content-Type", contentType,
                "Connect-Protocol-Version", "1");
    }

    private static byte[] envelope(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + b.length).put((byte) 0).putInt(b.length).put(b).array();
    }

    /** The next message of a Connect stream; null at its end-of-stream envelope. */
    private static JsonNode next(DataInputStream in) throws IOException {
        int flags = in.readUnsignedByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return (flags & 0x02) != 0 ? null : JSON.readTree(body);
    }

    /** Reads process events until stdout holds a tick after {@code after}; answers that tick. */
    private static int tickAfter(DataInputStream in, int after) throws IOException {
        StringBuilder out = new StringBuilder();
        while (true) {
            JsonNode m = next(in);
            assertThat(m).as("the stream ended while waiting for a tick after %d; got %s", after, out).isNotNull();
            JsonNode data = m.path("event").path("data").path("stdout");
            if (!data.isMissingNode()) {
                out.append(new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8));
                Matcher t = TICK.matcher(out);
                int last = -1;
                while (t.find()) {
                    last = Integer.parseInt(t.group(1));
                }
                if (last > after) {
                    return last;
                }
            }
        }
    }

    private JsonNode unary(String key, Box box, String method, String json) throws IOException {
        Raw.Response r = daemon.raw(key).send("POST", "/e2b/envd/process.Process/" + method,
                envd(box, "application/json"), json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s: %s", method, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aProcessStartedBeforeAGracefulRestartIsListedFollowedAndKilledAfterIt() throws Exception {
        daemon.start();
        String key = daemon.adminKey();
        Raw.Response created = daemon.raw(key).send("POST", "/e2b/api/v2/sandboxes",
                Map.of("X-API-KEY", key, "Content-Type", "application/json"),
                "{\"templateID\":\"base\",\"timeout\":900}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode sb = JSON.readTree(created.body());
        Box box = new Box(sb.get("sandboxID").asText(), sb.get("envdAccessToken").asText());

        int pid;
        int before;
        String start = "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\","
                + "\"i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done\"]},\"tag\":\"ticker\"}";
        try (Raw.Streamed s = daemon.raw(key).open("POST", "/e2b/envd/process.Process/Start",
                envd(box, "application/connect+json"), envelope(start));
             DataInputStream in = new DataInputStream(s.body())) {
            assertThat(s.status()).isEqualTo(200);
            pid = next(in).path("event").path("start").path("pid").asInt();
            assertThat(pid).isPositive();
            before = tickAfter(in, 1);
        }

        assertThat(daemon.terminate()).isIn(0, 143);
        daemon.start();

        JsonNode listed = unary(key, box, "List", "{}");
        assertThat(listed.path("processes")).as("the process after the restart: %s", listed).anySatisfy(p -> {
            assertThat(p.path("pid").asInt()).isEqualTo(pid);
            assertThat(p.path("tag").asText()).isEqualTo("ticker");
            assertThat(p.path("config").path("cmd").asText()).isEqualTo("/bin/bash");
        });

        try (Raw.Streamed s = daemon.raw(key).open("POST", "/e2b/envd/process.Process/Connect",
                envd(box, "application/connect+json"), envelope("{\"process\":{\"pid\":" + pid + "}}"));
             DataInputStream in = new DataInputStream(s.body())) {
            assertThat(next(in).path("event").path("start").path("pid").asInt()).isEqualTo(pid);
            assertThat(tickAfter(in, before)).as("the same process goes on counting").isGreaterThan(before);
            unary(key, box, "SendSignal", "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}");
            JsonNode end = null;
            for (JsonNode m = next(in); m != null; m = next(in)) {
                if (m.path("event").has("end")) {
                    end = m.path("event").path("end");
                }
            }
            assertThat(end).as("an end event after the kill").isNotNull();
            assertThat(end.path("status").asText()).isEqualTo("signal: killed");
        }
        assertThat(unary(key, box, "List", "{}").path("processes")).noneSatisfy(
                p -> assertThat(p.path("pid").asInt()).isEqualTo(pid));
        daemon.raw(key).send("DELETE", "/e2b/api/sandboxes/" + box.id(), Map.of("X-API-KEY", key), null);
    }
}
