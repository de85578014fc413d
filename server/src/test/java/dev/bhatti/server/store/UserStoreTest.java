package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Rows.store(dir);
    }

    @Test
    void createdUserIsFoundByNameIdAndKeyHash() {
        User alice = new User("usr_1", "alice", Rows.hash(), new Limits(2, 1, 1024, 0), Rows.T0);
        store.createUser(alice);

        assertThat(store.userByName("alice")).contains(alice);
        assertThat(store.userById("usr_1")).contains(alice);
        assertThat(store.userByKeyHash(alice.keyHash())).contains(alice);
        assertThat(store.userByKeyHash(Rows.hash())).isEmpty();
        assertThat(store.userByName("bob")).isEmpty();
    }

    @Test
    void duplicateUserNameIsANameConflict() {
        Rows.user(store, "alice");

        assertThatThrownBy(() -> store.createUser(new User("usr_2", "alice", Rows.hash(), Limits.DEFAULT, Rows.T0)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT))
                .hasMessageContaining("alice");
    }

    @Test
    void usersAreListedByName() {
        Rows.user(store, "carol");
        Rows.user(store, "alice");
        Rows.user(store, "bob");

        assertThat(store.users()).extracting(User::name).containsExactly("alice", "bob", "carol");
    }

    @Test
    void newKeyHashReplacesTheOldOne() {
        User alice = Rows.user(store, "alice");
        String newHash = Rows.hash();

        assertThat(store.setUserKeyHash(alice.id(), newHash)).isTrue();

        assertThat(store.userByKeyHash(alice.keyHash())).isEmpty();
        assertThat(store.userByKeyHash(newHash)).contains(alice.withKeyHash(newHash));
        assertThat(store.setUserKeyHash("usr_nobody", newHash)).isFalse();
    }

    @Test
    void deleteIsRefusedWhileTheUserHasLiveSandboxes() {
        User alice = Rows.user(store, "alice");
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "one"));

        assertThatThrownBy(() -> store.deleteUser(alice.id()))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_HAS_SANDBOXES));
        assertThat(store.userById(alice.id())).isPresent();
    }

    @Test
    void deleteRemovesTheUserWithItsDestroyedSandboxesAndOwnedRows() {
        User alice = Rows.user(store, "alice");
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "one").withStatus("destroyed"));
        store.insertVolume(new VolumeRow(alice.id(), "data", 10, Rows.T0));
        store.upsertSecret(new SecretRow(alice.id(), "TOKEN", new byte[] {1}, Rows.T0, Rows.T0));

        assertThat(store.deleteUser(alice.id())).isTrue();

        assertThat(store.userById(alice.id())).isEmpty();
        assertThat(store.sandboxById("sb_1")).isEmpty();
        assertThat(store.volumes(alice.id())).isEmpty();
        assertThat(store.secrets(alice.id())).isEmpty();
        assertThat(store.deleteUser(alice.id())).isFalse();
    }

    @Test
    void recordsRejectInvalidValues() {
        assertThatThrownBy(() -> new User("u", "n", "not-a-hash", Limits.DEFAULT, Rows.T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Limits.DEFAULT).isEqualTo(new Limits(5, 4, 4096, 20480));
    }
}
