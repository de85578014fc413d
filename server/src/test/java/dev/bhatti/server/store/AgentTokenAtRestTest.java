package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.VmState;
import dev.bhatti.proto.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox's agent token in the store: what the daemon reads back is the token, but neither the
 * database file nor its WAL holds it in plaintext — also for a row written in plaintext by an
 * older daemon, which opening the store seals.
 */
class AgentTokenAtRestTest {
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path dir;

    @Test
    void aStoredVmStateGivesBackItsTokenButTheFilesDoNotContainIt() throws Exception {
        String state = vmState("sb_1", TOKEN);
        try (SqliteStore store = Rows.store(dir)) {
            User u = Rows.user(store, "alice");
            store.insertSandbox(Rows.sandbox(u, "sb_1", "web").withVmState(state));

            assertThat(store.sandboxById("sb_1").map(SandboxRow::vmState)).contains(state);
            assertThat(rawVmState("sb_1")).doesNotContain(TOKEN).contains("token_sealed");
            assertNoPlaintextTokenOnDisk();

            store.updateSandbox(store.sandboxById("sb_1").orElseThrow().withStatus("stopped"));
            assertThat(store.sandboxById("sb_1").map(SandboxRow::vmState)).contains(state);
            assertNoPlaintextTokenOnDisk();
        }
    }

    @Test
    void aPlaintextTokenFromAnOlderDaemonIsSealedOnOpenAndStillWorks() throws Exception {
        String state = vmState("sb_1", TOKEN);
        try (SqliteStore store = Rows.store(dir)) {
            User u = Rows.user(store, "alice");
            store.insertSandbox(Rows.sandbox(u, "sb_1", "web"));
        }
        try (Connection c = DriverManager.getConnection(url());
             PreparedStatement ps = c.prepareStatement("UPDATE sandboxes SET vm_state = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setString(2, "sb_1");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(rawVmState("sb_1")).contains(TOKEN);

        try (SqliteStore store = Rows.store(dir)) {
            assertThat(store.sandboxById("sb_1").map(SandboxRow::vmState)).contains(state);
            assertThat(rawVmState("sb_1")).doesNotContain(TOKEN).contains("token_sealed");
            assertNoPlaintextTokenOnDisk();
        }
    }

    @Test
    void aVmStateWithoutATokenIsStoredAsItIs() throws Exception {
        try (SqliteStore store = Rows.store(dir)) {
            User u = Rows.user(store, "alice");
            store.insertSandbox(Rows.sandbox(u, "sb_1", "web").withVmState("{\"cpus\":2}"));

            assertThat(rawVmState("sb_1")).isEqualTo("{\"cpus\":2}");
            assertThat(store.sandboxById("sb_1").map(SandboxRow::vmState)).contains("{\"cpus\":2}");
        }
    }

    private static String vmState(String id, String token) {
        VmState s = new VmState(id, "web", Path.of("/var/lib/bhatti/sandboxes/" + id), 1, 512, token, 40001, 40002,
                List.of(), 0, Optional.empty());
        return new String(Json.encode(s.toMap()), StandardCharsets.UTF_8);
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("state.db");
    }

    private String rawVmState(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(url());
             PreparedStatement ps = c.prepareStatement("SELECT vm_state FROM sandboxes WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void assertNoPlaintextTokenOnDisk() throws Exception {
        for (String name : List.of("state.db", "state.db-wal")) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes.contains(TOKEN)).as(name + " contains the agent token in plaintext").isFalse();
            }
        }
    }
}
