package dev.bhatti.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.store.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersTest {
    static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");

    @TempDir
    Path dir;
    Store store;
    Users users;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        users = new Users(store, new ApiKeys(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void createdUserAuthenticatesWithItsKeyAndStoresOnlyTheHash() {
        Users.Created created = users.create("alice", new Limits(2, 2, 2048, 100));

        assertThat(created.apiKey()).matches("bht_[0-9a-f]{64}");
        User stored = store.userByName("alice").orElseThrow();
        assertThat(stored.keyHash()).isEqualTo(ApiKeys.hash(created.apiKey())).isNotEqualTo(created.apiKey());
        assertThat(stored.limits()).isEqualTo(new Limits(2, 2, 2048, 100));
        assertThat(stored.createdAt()).isEqualTo(NOW);
        assertThat(users.authenticate(created.apiKey())).contains(stored);
        assertThat(created.toString()).doesNotContain(created.apiKey());
    }

    @Test
    void unknownOrMalformedKeysDoNotAuthenticate() {
        users.create("alice", Limits.DEFAULT);

        assertThat(users.authenticate(new ApiKeys().generate())).isEmpty();
        assertThat(users.authenticate("bht_short")).isEmpty();
        assertThat(users.authenticate(null)).isEmpty();
    }

    @Test
    void duplicateNameIsANameConflict() {
        users.create("alice", Limits.DEFAULT);

        assertThatThrownBy(() -> users.create("alice", Limits.DEFAULT))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-alice", ".x", "has space", "a/b", "é"})
    void invalidNamesAreRejected(String name) {
        assertThatThrownBy(() -> users.create(name, Limits.DEFAULT))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME));
    }

    @Test
    void longestValidNameIsAccepted() {
        String name = "a" + "b".repeat(62);

        assertThat(users.create(name, Limits.DEFAULT).user().name()).isEqualTo(name);
        assertThat(Users.validName(name + "c")).isFalse();
    }

    @Test
    void rotatedKeyReplacesTheOldOne() {
        Users.Created created = users.create("alice", Limits.DEFAULT);

        String newKey = users.rotate("alice");

        assertThat(newKey).isNotEqualTo(created.apiKey());
        assertThat(users.authenticate(created.apiKey())).isEmpty();
        assertThat(users.authenticate(newKey)).map(User::name).contains("alice");
    }

    @Test
    void unknownUserCannotBeRotatedOrDeleted() {
        assertThatThrownBy(() -> users.rotate("ghost"))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_NOT_FOUND));
        assertThatThrownBy(() -> users.delete("ghost"))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_NOT_FOUND));
    }

    @Test
    void deleteIsRefusedWhileTheUserHasSandboxes() {
        User alice = users.create("alice", Limits.DEFAULT).user();
        store.insertSandbox(new SandboxRow("sb_1", alice.id(), "web", "running", 1, 512, null, null, null, false,
                Map.of(), NOW, null, null));

        assertThatThrownBy(() -> users.delete("alice"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_HAS_SANDBOXES));
        store.deleteSandbox("sb_1");
        users.delete("alice");
        assertThat(users.list()).isEmpty();
    }

    @Test
    void listShowsEveryUserByName() {
        users.create("bob", Limits.DEFAULT);
        users.create("alice", Limits.DEFAULT);

        assertThat(users.list()).extracting(User::name).containsExactly("alice", "bob");
    }
}
