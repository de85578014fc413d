package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.User;
import dev.bhatti.server.store.VolumeRow;
import dev.bhatti.server.users.ApiKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
    @TempDir
    Path dataDir;

    private static InProcessRun bhatti(String... args) {
        return InProcessRun.of(args);
    }

    private InProcessRun user(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "user";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--data-dir";
        full[args.length + 2] = dataDir.toString();
        return bhatti(full);
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private User stored(String name) {
        return SqliteStore.open(dataDir).userByName(name).orElseThrow();
    }

    @Test
    void createWithJsonPrintsExactlyNameAndKey() throws Exception {
        InProcessRun run = user("create", "--name", "alice", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("\\{\"name\":\"alice\",\"api_key\":\"bht_[0-9a-f]{64}\"}\\R");
        String key = json(run.out()).get("api_key").asText();
        assertThat(stored("alice").keyHash()).isEqualTo(ApiKeys.hash(key));
    }

    @Test
    void plainCreatePrintsTheKeyOnceWithANoteAndAppliesLimits() {
        InProcessRun run = user("create", "--name", "bob", "--max-sandboxes", "2", "--max-cpus", "1", "--max-memory", "1024");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("bht_[0-9a-f]{64}").contains("shown only once");
        assertThat(stored("bob").limits().maxSandboxes()).isEqualTo(2);
        assertThat(stored("bob").limits().maxCpus()).isEqualTo(1);
        assertThat(stored("bob").limits().maxMemoryMb()).isEqualTo(1024);
    }

    @Test
    void duplicateNameFailsWithExitCodeOne() {
        user("create", "--name", "alice");

        InProcessRun run = user("create", "--name", "alice");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: ").contains("alice");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void invalidNameFailsWithExitCodeOne() {
        InProcessRun run = user("create", "--name", "-bad");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: invalid user name");
    }

    @Test
    void listShowsCreatedUsersAsTableAndJson() throws Exception {
        user("create", "--name", "alice");
        user("create", "--name", "bob", "--max-sandboxes", "9");

        InProcessRun table = user("list");
        InProcessRun asJson = user("list", "--json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("NAME").contains("alice").contains("bob");
        JsonNode users = json(asJson.out());
        assertThat(users).hasSize(2);
        assertThat(users.get(1).get("name").asText()).isEqualTo("bob");
        assertThat(users.get(1).get("max_sandboxes").asInt()).isEqualTo(9);
        assertThat(asJson.out()).doesNotContain("bht_").doesNotContain("key_hash");
    }

    @Test
    void listShowsTheStorageQuotaAndWhatRootDisksAndVolumesUseOfIt() throws Exception {
        user("create", "--name", "alice", "--max-storage", "4096");
        SqliteStore store = SqliteStore.open(dataDir);
        String alice = stored("alice").id();
        store.insertVolume(new VolumeRow(alice, "cache", 300, Instant.now()));
        store.insertSandbox(new SandboxRow("sb-1", alice, "web", "running", 1, 512, 1024, null, null,
                false, Map.of(), Instant.now(), null, null));
        store.setSandboxStorage("sb-1", 1024 + 64);

        JsonNode row = json(user("list", "--json").out()).get(0);
        InProcessRun table = user("list");

        assertThat(row.get("max_storage_mb").asInt()).isEqualTo(4096);
        assertThat(row.get("storage_used_mb").asInt()).as("volume 300 + root disk 1024 + ephemeral 64").isEqualTo(1388);
        assertThat(table.out()).contains("STORAGE_MB").contains("1388/4096");
    }

    @Test
    void rotateKeyReplacesTheKeySoTheOldHashNoLongerMatches() throws Exception {
        String oldKey = json(user("create", "--name", "alice", "--json").out()).get("api_key").asText();

        InProcessRun run = user("rotate-key", "alice", "--json");

        assertThat(run.exitCode()).isZero();
        String newKey = json(run.out()).get("api_key").asText();
        assertThat(newKey).isNotEqualTo(oldKey).matches("bht_[0-9a-f]{64}");
        assertThat(stored("alice").keyHash()).isEqualTo(ApiKeys.hash(newKey)).isNotEqualTo(ApiKeys.hash(oldKey));
    }

    @Test
    void unknownUserFailsWithExitCodeOne() {
        InProcessRun rotate = user("rotate-key", "ghost");
        InProcessRun delete = user("delete", "ghost");

        assertThat(rotate.exitCode()).isEqualTo(1);
        assertThat(rotate.err()).startsWith("Error: user ghost not found");
        assertThat(delete.exitCode()).isEqualTo(1);
        assertThat(delete.err()).startsWith("Error: user ghost not found");
    }

    @Test
    void deleteRemovesTheUser() {
        user("create", "--name", "alice");

        InProcessRun run = user("delete", "alice");

        assertThat(run.exitCode()).isZero();
        assertThat(SqliteStore.open(dataDir).userByName("alice")).isEmpty();
        assertThat(user("list").out()).doesNotContain("alice");
    }

    @Test
    void deleteIsRefusedWhileTheUserHasSandboxes() {
        user("create", "--name", "alice");
        SqliteStore store = SqliteStore.open(dataDir);
        store.insertSandbox(new SandboxRow("sb_1", stored("alice").id(), "web", "running", 1, 512, null, null, null,
                false, Map.of(), Instant.now(), null, null));

        InProcessRun run = user("delete", "alice");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: ").contains("sandbox");
        assertThat(store.userByName("alice")).isPresent();
    }

    @Test
    void dataDirMayAlsoBeGivenBeforeTheSubcommand() {
        InProcessRun run = bhatti("user", "--data-dir", dataDir.toString(), "create", "--name", "carol");

        assertThat(run.exitCode()).isZero();
        assertThat(stored("carol").name()).isEqualTo("carol");
    }

    @Test
    void unknownOptionFailsWithExitCodeOneAndAHint() {
        InProcessRun run = bhatti("user", "create", "--nope");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: ").contains("hint:");
    }
}
