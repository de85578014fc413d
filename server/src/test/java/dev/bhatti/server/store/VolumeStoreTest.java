package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VolumeStoreTest extends TwoUserStore {
    @BeforeEach
    void rows() {
        store.insertSandbox(Rows.sandbox(alice, "sb_1", "one"));
        store.insertSandbox(Rows.sandbox(alice, "sb_2", "two"));
        store.insertVolume(new VolumeRow(alice.id(), "data", 100, Rows.T0));
    }

    private static void assertCode(Runnable r, ErrorCode code) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void volumesAreScopedAndNamesUniquePerUser() {
        store.insertVolume(new VolumeRow(bob.id(), "data", 5, Rows.T0));

        assertCode(() -> store.insertVolume(new VolumeRow(alice.id(), "data", 1, Rows.T0)), ErrorCode.NAME_CONFLICT);
        assertThat(store.volume(alice.id(), "data")).contains(new VolumeRow(alice.id(), "data", 100, Rows.T0));
        assertThat(store.volumes(bob.id())).extracting(VolumeRow::sizeMb).containsExactly(5);
        assertThat(store.deleteVolume(bob.id(), "nope")).isFalse();
    }

    @Test
    void sumOfSizesCountsOnlyTheUsersVolumes() {
        store.insertVolume(new VolumeRow(alice.id(), "more", 50, Rows.T0));
        store.insertVolume(new VolumeRow(bob.id(), "other", 7, Rows.T0));

        assertThat(store.sumVolumeSizeMb(alice.id())).isEqualTo(150);
        assertThat(store.sumVolumeSizeMb(bob.id())).isEqualTo(7);
        assertThat(store.sumVolumeSizeMb("usr_nobody")).isZero();
    }

    @Test
    void storageInUseIsVolumesPlusLiveSandboxesAndADeletedOrDestroyedSandboxFreesItsShare() {
        store.setSandboxStorage("sb_1", 768);
        store.setSandboxStorage("sb_2", 1000);
        store.setSandboxStorage("sb_2", 1024);
        store.insertSandbox(Rows.sandbox(bob, "sb_3", "three"));
        store.setSandboxStorage("sb_3", 4000);

        assertThat(store.storageUsedMb(alice.id())).as("100 + 768 + 1024").isEqualTo(1892);
        store.deleteSandbox("sb_1");
        store.updateSandbox(store.sandboxById("sb_2").orElseThrow().withStatus("destroyed"));

        assertThat(store.storageUsedMb(alice.id())).isEqualTo(100);
        assertThat(store.storageUsedMb(bob.id())).isEqualTo(4000);
    }

    @Test
    void deleteIsRefusedWhileAttachedAndAllowedAfterDetach() {
        store.attach(new Attachment(alice.id(), "data", "sb_1", "/data", false));

        assertCode(() -> store.deleteVolume(alice.id(), "data"), ErrorCode.VOLUME_ATTACHED);
        store.detachAll("sb_1");

        assertThat(store.deleteVolume(alice.id(), "data")).isTrue();
        assertThat(store.volumes(alice.id())).isEmpty();
    }

    @Test
    void readWriteAttachmentExcludesEveryOther() {
        Attachment rw = new Attachment(alice.id(), "data", "sb_1", "/data", false);
        assertThat(store.attach(rw)).isTrue();

        assertCode(() -> store.attach(new Attachment(alice.id(), "data", "sb_2", "/data", true)), ErrorCode.VOLUME_ATTACHED);
        assertCode(() -> store.attach(new Attachment(alice.id(), "data", "sb_2", "/data", false)), ErrorCode.VOLUME_ATTACHED);
        assertThat(store.attachments(alice.id(), "data")).containsExactly(rw);
    }

    @Test
    void severalReadOnlyAttachmentsMayShareAVolume() {
        store.attach(new Attachment(alice.id(), "data", "sb_1", "/data", true));
        store.attach(new Attachment(alice.id(), "data", "sb_2", "/mnt", true));

        assertThat(store.attachments(alice.id(), "data")).extracting(Attachment::sandboxId)
                .containsExactly("sb_1", "sb_2");
        assertCode(() -> store.attach(new Attachment(alice.id(), "data", "sb_1", "/x", false)), ErrorCode.VOLUME_ATTACHED);
    }

    @Test
    void anotherUsersVolumeCannotBeAttachedOrSeen() {
        assertThat(store.attach(new Attachment(bob.id(), "data", "sb_1", "/data", false))).isFalse();
        assertThat(store.volume(bob.id(), "data")).isEmpty();
        assertThat(store.attachments(bob.id(), "data")).isEmpty();
    }
}
