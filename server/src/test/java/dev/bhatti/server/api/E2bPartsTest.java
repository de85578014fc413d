package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.server.e2b.Connect;
import dev.bhatti.server.e2b.E2bFs;
import dev.bhatti.server.e2b.E2bTokens;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The E2B layer's pure parts: Connect envelopes, E2B's metadata filter, envd paths and users, access tokens. */
class E2bPartsTest {
    @Test
    void aStreamIsEnvelopedMessagesThenAnEndOfStreamCarryingTheError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Connect.send(out, Map.of("event", Map.of("start", Map.of("pid", 7))));
        Connect.end(out, Connect.error("not_found", "no process 9"));
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        assertThat(b.get()).isZero();
        byte[] first = new byte[b.getInt()];
        b.get(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("{\"event\":{\"start\":{\"pid\":7}}}");
        assertThat(b.get()).isEqualTo((byte) 0x02);
        byte[] end = new byte[b.getInt()];
        b.get(end);
        assertThat(new String(end, StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"no process 9\"}}");
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void aStreamingRequestIsOneEnvelopeAndALyingLengthIsRefused() {
        byte[] json = "{\"path\":\"/tmp\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(5 + json.length).put((byte) 0).putInt(json.length).put(json).array();
        assertThat(Connect.unwrap(body)).isEqualTo(Map.of("path", "/tmp"));
        body[4] = (byte) (json.length + 10);
        assertThatThrownBy(() -> Connect.unwrap(body)).isInstanceOfSatisfying(Connect.Error.class,
                e -> assertThat(e.code).isEqualTo("invalid_argument"));
        assertThat(Connect.error("already_exists", "x").status()).isEqualTo(409);
        assertThat(Connect.error("unimplemented", "x").status()).isEqualTo(501);
    }

    @Test
    void metadataFilterIsDecodedAsE2bEncodesIt() {
        // the SDK's {"a b": "c&d", "k": "v"}, after the query's own decoding
        assertThat(E2bControlRoutes.metadataFilter("a%2520b%3Dc%2526d%26k%3Dv")).containsExactly(
                Map.entry("a b", "c&d"), Map.entry("k", "v"));
        assertThat(E2bControlRoutes.metadataFilter(null)).isEmpty();
    }

    @Test
    void envdPathsResolveAgainstTheUsersHomeAndOnlyUserAndRootExist() {
        E2bFs.User user = E2bEnvdRoutes.user(null);
        assertThat(user.home()).isEqualTo("/home/user");
        assertThat(user.agentUser()).isEqualTo("lohar");
        assertThat(E2bEnvdRoutes.resolve(user, "a.txt")).isEqualTo("/home/user/a.txt");
        assertThat(E2bEnvdRoutes.resolve(user, "~/d/../b")).isEqualTo("/home/user/b");
        assertThat(E2bEnvdRoutes.resolve(user, "/tmp/x")).isEqualTo("/tmp/x");
        assertThat(E2bEnvdRoutes.resolve(E2bEnvdRoutes.user("root"), "x")).isEqualTo("/root/x");
        assertThatThrownBy(() -> E2bEnvdRoutes.user("mallory")).isInstanceOfSatisfying(Connect.Error.class,
                e -> assertThat(e.code).isEqualTo("unauthenticated"));
    }

    @Test
    void findRecordsBecomeEnvdEntryInfoWithASymlinkShowingItsTargetsType() {
        var entries = E2bFs.entries("f\u000012\u0000644\u0000-rw-r--r--\u0000lohar\u0000lohar\u00001733493421.5000000000\u0000\u0000"
                + "/home/user/a.txt\u0000d\u00004096\u0000777\u0000lrwxrwxrwx\u0000root\u0000root\u00001733493421\u0000/tmp\u0000"
                + "/home/user/t\u0000");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).containsEntry("name", "a.txt").containsEntry("type", "FILE_TYPE_FILE")
                .containsEntry("path", "/home/user/a.txt").containsEntry("size", "12").containsEntry("mode", 0644)
                .containsEntry("permissions", "-rw-r--r--").containsEntry("owner", "lohar")
                .containsEntry("modifiedTime", "2024-12-06T13:57:01.500Z").doesNotContainKey("symlinkTarget");
        assertThat(entries.get(1)).containsEntry("type", "FILE_TYPE_DIRECTORY").containsEntry("symlinkTarget", "/tmp");
    }

    @Test
    void accessTokensAreStablePerSandboxAndDifferAcrossSandboxesAndDaemons() throws Exception {
        Path dir = Files.createTempDirectory("bhatti-e2b-key-");
        try {
            E2bTokens a = E2bTokens.open(dir.resolve("e2b.key"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("e2b.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
            assertThat(E2bTokens.open(dir.resolve("e2b.key")).token("sb-1")).isEqualTo(a.token("sb-1"));
            assertThat(a.token("sb-1")).isNotEqualTo(a.token("sb-2"));
            assertThat(a.matches("sb-1", a.token("sb-1"))).isTrue();
            assertThat(a.matches("sb-2", a.token("sb-1"))).isFalse();
            assertThat(a.matches("sb-1", null)).isFalse();
            assertThat(E2bTokens.open(dir.resolve("other.key")).token("sb-1")).isNotEqualTo(a.token("sb-1"));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
