package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaAndConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void openingCreatesTheDatabaseAtTheLatestVersion() {
        SqliteStore store = Rows.store(dir);

        assertThat(dir.resolve("state.db")).exists();
        assertThat(store.schemaVersion()).isEqualTo(Migrations.ALL.size());
        assertThat(store.schemaVersionOnDisk()).isEqualTo(Migrations.ALL.size());
    }

    @Test
    void missingDataDirIsCreatedOwnerOnly() throws Exception {
        Path data = dir.resolve("a/b/data");

        Rows.store(data);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    @Test
    void reopeningKeepsDataAndVersion() {
        Store first = Rows.store(dir);
        User alice = Rows.user(first, "alice");
        first.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));
        first.close();

        SqliteStore second = Rows.store(dir);

        assertThat(second.schemaVersion()).isEqualTo(Migrations.ALL.size());
        assertThat(second.userByName("alice")).contains(alice);
        assertThat(second.sandbox(alice.id(), "web")).isPresent();
    }

    @Test
    void migrationScriptsSplitIntoStatementsWithoutComments() {
        List<String> statements = Migrations.statements("-- note; here\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n");

        assertThat(statements).containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
        assertThat(Migrations.version("V12__add_things.sql")).isEqualTo(12);
    }

    @Test
    void concurrentInsertsFromVirtualThreadsAllSucceed() throws Exception {
        Store store = Rows.store(dir);
        User alice = Rows.user(store, "alice");
        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> insertMany(store, alice, thread)));
            }
        }
        for (Future<?> f : results) {
            f.get();
        }

        assertThat(store.sandboxes(alice.id(), Map.of())).hasSize(8 * 25);
    }

    private static Void insertMany(Store store, User user, int thread) {
        for (int i = 0; i < 25; i++) {
            String id = "sb_" + thread + "_" + i;
            store.insertSandbox(Rows.sandbox(user, id, "n-" + thread + "-" + i));
            store.updateSandbox(store.sandbox(user.id(), id).orElseThrow().withStatus("stopped"));
        }
        return null;
    }
}
