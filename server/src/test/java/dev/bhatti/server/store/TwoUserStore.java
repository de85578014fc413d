package dev.bhatti.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temp dir with users alice and bob, for the store tests (scoping needs two users). */
abstract class TwoUserStore {
    @TempDir
    Path dir;
    Store store;
    User alice;
    User bob;

    @BeforeEach
    void openStoreWithTwoUsers() {
        store = Rows.store(dir);
        alice = Rows.user(store, "alice");
        bob = Rows.user(store, "bob");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
