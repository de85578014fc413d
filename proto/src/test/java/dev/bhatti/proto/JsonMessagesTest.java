package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonMessagesTest {

    private static String json(Object value) {
        return new String(Json.encode(value), StandardCharsets.UTF_8);
    }

    @Test
    void sendJsonWritesOneFrameThatDecodesToTheSameRequest() throws Exception {
        ExecRequest request = ExecRequest.builder("bash", "-c", "echo hi")
                .env(Map.of("A", "1")).cwd("/workspace").tty(40, 120).maxIdleSec(60).timeoutSec(5).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).sendJson(FrameType.EXEC_REQ, request);
        Frame frame = new FrameReader(new ByteArrayInputStream(out.toByteArray())).require();
        assertThat(frame.kind()).contains(FrameType.EXEC_REQ);
        assertThat(Json.decode(frame.payload(), ExecRequest.class)).isEqualTo(request);
    }

    @Test
    void execRequestUsesProtocolFieldNamesAndOmitsAbsentOptionals() {
        assertThat(json(ExecRequest.of("true"))).isEqualTo("{\"argv\":[\"true\"]}");
        String full = json(ExecRequest.attach("s1").ifDetached().maxIdleSec(3).build());
        assertThat(full).contains("\"session_id\":\"s1\"", "\"if_detached\":true", "\"max_idle_sec\":3")
                .doesNotContain("null");
        assertThat(json(ExecRequest.builder("x").detach("/tmp/o").session().timeoutSec(9).build()))
                .contains("\"detach\":true", "\"output_file\":\"/tmp/o\"", "\"session\":true", "\"timeout_sec\":9");
        assertThat(json(ExecRequest.builder("x").user("root").build())).contains("\"user\":\"root\"");
        assertThat(json(ExecRequest.builder("x").session().stderrApart().build())).contains("\"stderr_apart\":true");
        assertThat(json(ExecRequest.attach("s1").outputFrom(4096).build())).contains("\"output_from\":4096");
        assertThat(json(ExecRequest.builder("x").session().label("mine").build())).contains("\"label\":\"mine\"");
    }

    @Test
    void execRequestWithAnOversizedLabelIsRejectedNamingTheLimit() {
        String label = "x".repeat(ExecRequest.MAX_LABEL + 1);
        assertThatThrownBy(() -> Json.decode(("{\"argv\":[\"x\"],\"label\":\"" + label + "\"}").getBytes(), ExecRequest.class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("label must be at most 16384 characters");
    }

    @Test
    void execRequestWithANegativeOutputOffsetIsRejectedNamingIt() {
        assertThatThrownBy(() -> Json.decode("{\"session_id\":\"s1\",\"output_from\":-1}".getBytes(), ExecRequest.class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("output_from must not be negative");
    }

    @Test
    void execRequestForAnUnknownUserIsRejectedNamingIt() {
        assertThatThrownBy(() -> Json.decode("{\"argv\":[\"id\"],\"user\":\"nobody\"}".getBytes(), ExecRequest.class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("user must be \"lohar\" or \"root\"")
                .hasMessageContaining("nobody");
    }

    @Test
    void execRequestDefaultsTerminalSizeTo24By80() throws ProtocolException {
        ExecRequest r = Json.decode("{\"argv\":[\"sh\"],\"tty\":true}".getBytes(), ExecRequest.class);
        assertThat(r.wantsTty()).isTrue();
        assertThat(r.rowsOrDefault()).isEqualTo(24);
        assertThat(r.colsOrDefault()).isEqualTo(80);
    }

    @Test
    void execRequestWithoutArgvOrSessionIsRejectedNamingTheProblem() {
        assertThatThrownBy(() -> Json.decode("{\"argv\":[]}".getBytes(), ExecRequest.class))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.BAD_PAYLOAD))
                .hasMessageContaining("ExecRequest").hasMessageContaining("argv must not be empty");
    }

    @Test
    void malformedJsonIsBadPayloadNamingTheMessage() {
        assertThatThrownBy(() -> Json.decode("{\"argv\":[".getBytes(), ExecRequest.class))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("invalid ExecRequest:");
        assertThatThrownBy(() -> Json.decode("{\"port\":\"x\"}".getBytes(), ForwardRequest.class))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("invalid ForwardRequest:");
        assertThatThrownBy(() -> Json.decode("{\"port\":70000}".getBytes(), ForwardRequest.class))
                .hasMessageContaining("between 1 and 65535");
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() throws ProtocolException {
        assertThat(Json.decode("{\"port\":8080,\"future\":1}".getBytes(), ForwardRequest.class).port()).isEqualTo(8080);
    }

    @Test
    void sessionInfoFieldNames() throws ProtocolException {
        SessionInfo info = new SessionInfo("s1", "bash -l", true, false, 3, false, 1700000000L, 412, 7L, "e2b {}");
        assertThat(json(info)).isEqualTo("{\"session_id\":\"s1\",\"argv\":\"bash -l\",\"tty\":true,\"running\":false,"
                + "\"exit_code\":3,\"attached\":false,\"created_at\":1700000000,\"pid\":412,\"replay_from\":7,"
                + "\"label\":\"e2b {}\"}");
        assertThat(json(new SessionInfo("s2", "x", false, true, null, true, 1, null, null, null)))
                .doesNotContain("exit_code", "pid", "replay_from", "label");
        List<SessionInfo> list = Json.decode(Json.encode(List.of(info)), new TypeReference<>() {}, "session list");
        assertThat(list).containsExactly(info);
    }

    @Test
    void activityAndFileInfoFieldNames() {
        assertThat(json(new ActivityInfo(12, 2, 1)))
                .isEqualTo("{\"last_activity_unix\":12,\"active_sessions\":2,\"attached_sessions\":1}");
        assertThat(json(new FileInfo("a.txt", 5, "0644", false, 99)))
                .isEqualTo("{\"name\":\"a.txt\",\"size\":5,\"mode\":\"0644\",\"is_dir\":false,\"mtime\":99}");
        assertThat(FileInfo.octal(0755)).isEqualTo("0755");
    }

    @Test
    void fileRequestsAndReplies() throws ProtocolException {
        assertThat(json(FileReadRequest.whole("/a"))).isEqualTo("{\"path\":\"/a\"}");
        FileReadRequest r = Json.decode("{\"path\":\"/a\",\"offset\":50,\"limit\":10,\"max_bytes\":7}".getBytes(),
                FileReadRequest.class);
        assertThat(r.truncated()).isTrue();
        assertThat(r.maxBytes()).isEqualTo(7);
        assertThat(FileReadRequest.whole("/a").truncated()).isFalse();
        assertThat(json(new FileReadResponse(10, "0600"))).isEqualTo("{\"size\":10,\"mode\":\"0600\"}");
        assertThat(new FileWriteRequest("/a", null, 0).modeBits()).isEqualTo(0644);
        assertThat(new FileWriteRequest("/a", "0755", 0).modeBits()).isEqualTo(0755);
        assertThat(json(StatusReply.ok())).isEqualTo("{\"status\":\"ok\"}");
        assertThat(json(StatusReply.error("no"))).isEqualTo("{\"status\":\"error\",\"message\":\"no\"}");
        assertThat(json(new ExecKillRequest("s3"))).isEqualTo("{\"session_id\":\"s3\"}");
        assertThat(json(new DetachResult(42, "/tmp/x"))).isEqualTo("{\"pid\":42,\"output_file\":\"/tmp/x\"}");
    }

    @Test
    void emptyPathIsRejected() {
        assertThatThrownBy(() -> Json.decode("{\"path\":\"\"}".getBytes(), PathRequest.class))
                .hasMessageContaining("path must not be empty");
        assertThatThrownBy(() -> Json.decode("{}".getBytes(), PathRequest.class))
                .hasMessageContaining("path must not be empty");
    }
}
