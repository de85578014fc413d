package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateAndSecretStoreTest extends TwoUserStore {
    private TemplateRow template(User u, String id, String name, int secondsAfterT0) {
        return new TemplateRow(id, u.id(), name, "minimal", 2, null, Map.of("A", "1"), "echo hi",
                List.of("TOKEN"), Rows.T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void templateRoundTripsAndIsFoundByIdOrName() {
        TemplateRow t = store.insertTemplate(template(alice, "tpl_1", "py", 0));

        assertThat(store.template(alice.id(), "tpl_1")).contains(t);
        assertThat(store.template(alice.id(), "py")).contains(t);
        assertThat(store.template(bob.id(), "py")).isEmpty();
        assertThat(store.templates(bob.id())).isEmpty();
    }

    @Test
    void templatesAreListedNewestFirstAndNamesAreUniquePerUser() {
        store.insertTemplate(template(alice, "tpl_1", "old", 0));
        store.insertTemplate(template(alice, "tpl_2", "new", 10));
        store.insertTemplate(template(bob, "tpl_3", "old", 0));

        assertThat(store.templates(alice.id())).extracting(TemplateRow::name).containsExactly("new", "old");
        assertThatThrownBy(() -> store.insertTemplate(template(alice, "tpl_4", "old", 0)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
    }

    @Test
    void templateDeleteIsScopedToItsUser() {
        store.insertTemplate(template(alice, "tpl_1", "py", 0));

        assertThat(store.deleteTemplate(bob.id(), "py")).isFalse();
        assertThat(store.deleteTemplate(alice.id(), "py")).isTrue();
        assertThat(store.template(alice.id(), "tpl_1")).isEmpty();
    }

    @Test
    void upsertKeepsCreatedAtAndBumpsUpdatedAt() {
        store.upsertSecret(new SecretRow(alice.id(), "TOKEN", new byte[] {1, 2}, Rows.T0, Rows.T0));

        SecretRow updated = store.upsertSecret(new SecretRow(alice.id(), "TOKEN", new byte[] {3},
                Rows.T0.plusSeconds(99), Rows.T0.plusSeconds(100)));

        assertThat(updated.createdAt()).isEqualTo(Rows.T0);
        assertThat(updated.updatedAt()).isEqualTo(Rows.T0.plusSeconds(100));
        assertThat(updated.ciphertext()).containsExactly(3);
        assertThat(store.secret(alice.id(), "TOKEN")).contains(updated);
    }

    @Test
    void secretsAreScopedToTheirUser() {
        store.upsertSecret(new SecretRow(alice.id(), "B", new byte[] {1}, Rows.T0, Rows.T0));
        store.upsertSecret(new SecretRow(alice.id(), "A", new byte[] {2}, Rows.T0, Rows.T0));

        assertThat(store.secrets(alice.id())).extracting(SecretRow::name).containsExactly("A", "B");
        assertThat(store.secrets(bob.id())).isEmpty();
        assertThat(store.secret(bob.id(), "A")).isEmpty();
        assertThat(store.deleteSecret(bob.id(), "A")).isFalse();
        assertThat(store.deleteSecret(alice.id(), "A")).isTrue();
        assertThat(store.secrets(alice.id())).extracting(SecretRow::name).containsExactly("B");
    }
}
