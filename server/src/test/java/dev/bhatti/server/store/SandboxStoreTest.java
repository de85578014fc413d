package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxStoreTest extends TwoUserStore {
    @Test
    void insertedSandboxRoundTripsEveryColumn() {
        SandboxRow row = new SandboxRow("sb_1", alice.id(), "web", "stopped", 2, 1024, 4096, "minimal", "tpl_1",
                true, Map.of("team", "a", "env", "dev"), Rows.T0, Rows.T0.plusSeconds(60), "{\"cpus\":2}");
        store.insertSandbox(row);

        assertThat(store.sandboxById("sb_1")).contains(row);
        assertThat(store.sandbox(alice.id(), "sb_1")).contains(row);
        assertThat(store.sandbox(alice.id(), "web")).contains(row);
    }

    @Test
    void anotherUserCannotSeeTheSandbox() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));

        assertThat(store.sandbox(bob.id(), "sb_1")).isEmpty();
        assertThat(store.sandbox(bob.id(), "web")).isEmpty();
        assertThat(store.sandboxes(bob.id(), Map.of())).isEmpty();
        assertThat(store.countSandboxes(bob.id())).isZero();
        assertThat(store.updateSandbox(Rows.sandbox(bob, "sb_1", "stolen"))).isFalse();
        assertThat(store.sandbox(alice.id(), "web")).isPresent();
    }

    @Test
    void sameNameForTheSameUserIsANameConflictButOtherUsersMayUseIt() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));

        assertThatThrownBy(() -> store.insertSandbox(Rows.sandbox(alice, "sb_2", "web")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
        store.insertSandbox(Rows.sandbox(bob, "sb_3", "web"));
        assertThat(store.sandbox(bob.id(), "web")).map(SandboxRow::id).contains("sb_3");
    }

    @Test
    void nameOfADestroyedSandboxIsFreeAgain() {
        SandboxRow first = store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));
        store.updateSandbox(first.withStatus("destroyed"));

        store.insertSandbox(Rows.sandbox(alice, "sb_2", "web"));

        assertThat(store.sandbox(alice.id(), "web")).map(SandboxRow::id).contains("sb_2");
        assertThat(store.sandbox(alice.id(), "sb_1")).isEmpty();
        assertThat(store.sandboxById("sb_1")).map(SandboxRow::status).contains("destroyed");
        assertThat(store.countSandboxes(alice.id())).isEqualTo(1);
    }

    @Test
    void sandboxesAreListedNewestFirst() {
        store.insertSandbox(Rows.sandbox(alice, "sb_a", "old", Rows.T0));
        store.insertSandbox(Rows.sandbox(alice, "sb_b", "newest", Rows.T0.plusSeconds(20)));
        store.insertSandbox(Rows.sandbox(alice, "sb_c", "middle", Rows.T0.plusSeconds(10)));

        assertThat(store.sandboxes(alice.id(), Map.of())).extracting(SandboxRow::name)
                .containsExactly("newest", "middle", "old");
        assertThat(store.allSandboxes()).extracting(SandboxRow::name).containsExactly("newest", "middle", "old");
    }

    @Test
    void labelFilterKeepsSandboxesCarryingEveryLabel() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "one").withLabels(Map.of("team", "a", "env", "dev")));
        store.insertSandbox(Rows.sandbox(alice, "sb_2", "two").withLabels(Map.of("team", "a", "env", "prod")));
        store.insertSandbox(Rows.sandbox(alice, "sb_3", "three"));

        assertThat(store.sandboxes(alice.id(), Map.of("team", "a"))).extracting(SandboxRow::name)
                .containsExactlyInAnyOrder("one", "two");
        assertThat(store.sandboxes(alice.id(), Map.of("team", "a", "env", "prod"))).extracting(SandboxRow::name)
                .containsExactly("two");
        assertThat(store.sandboxes(alice.id(), Map.of("team", "b"))).isEmpty();
    }

    @Test
    void updateStoresTheMutableColumns() {
        SandboxRow row = store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));
        SandboxRow changed = row.withName("api").withStatus("stopped").withKeepHot(true)
                .withLabels(Map.of("k", "v")).withVmState("{\"x\":1}").withStoppedAt(Rows.T0.plusSeconds(5));

        assertThat(store.updateSandbox(changed)).isTrue();

        assertThat(store.sandboxById("sb_1")).contains(changed);
    }

    @Test
    void renameToATakenNameIsANameConflict() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));
        SandboxRow api = store.insertSandbox(Rows.sandbox(alice, "sb_2", "api"));

        assertThatThrownBy(() -> store.updateSandbox(api.withName("web")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
        assertThat(store.sandbox(alice.id(), "sb_2")).map(SandboxRow::name).contains("api");
    }

    @Test
    void deleteRemovesTheRowWithItsAttachmentsAndPublishRules() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "web"));
        store.insertVolume(new VolumeRow(alice.id(), "data", 100, Rows.T0));
        store.attach(new Attachment(alice.id(), "data", "sb_1", "/data", false));
        store.insertPublish(new PublishRow("pub_1", alice.id(), "sb_1", 8080, "web-abc123", Rows.T0));

        assertThat(store.deleteSandbox("sb_1")).isTrue();

        assertThat(store.sandboxById("sb_1")).isEmpty();
        assertThat(store.attachments(alice.id(), "data")).isEmpty();
        assertThat(store.publishByAlias("web-abc123")).isEmpty();
        assertThat(store.volume(alice.id(), "data")).isPresent();
        assertThat(store.deleteSandbox("sb_1")).isFalse();
    }

    @Test
    void sandboxRowRejectsAnUnknownStatus() {
        assertThatThrownBy(() -> Rows.sandbox(alice, "sb_1", "web").withStatus("hot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
    }
}
