package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishStoreTest extends TwoUserStore {
    @BeforeEach
    void rows() {
        store.insertSandbox(Rows.sandbox(alice, "sb_a", "web"));
        store.insertSandbox(Rows.sandbox(bob, "sb_b", "web"));
    }

    @Test
    void ruleIsFoundByAliasAndListedBySandbox() {
        PublishRow rule = store.insertPublish(new PublishRow("pub_1", alice.id(), "sb_a", 8080, "web-1", Rows.T0));
        store.insertPublish(new PublishRow("pub_2", alice.id(), "sb_a", 3000, "web-2", Rows.T0));

        assertThat(store.publishByAlias("web-1")).contains(rule);
        assertThat(store.publishRules(alice.id(), "sb_a")).extracting(PublishRow::port).containsExactly(3000, 8080);
        assertThat(store.publishRules(bob.id(), "sb_a")).isEmpty();
    }

    @Test
    void samePortAgainReturnsTheExistingRule() {
        PublishRow first = store.insertPublish(new PublishRow("pub_1", alice.id(), "sb_a", 8080, "web-1", Rows.T0));

        PublishRow again = store.insertPublish(new PublishRow("pub_2", alice.id(), "sb_a", 8080, "web-9", Rows.T0));

        assertThat(again).isEqualTo(first);
        assertThat(store.publishByAlias("web-9")).isEmpty();
    }

    @Test
    void aliasIsUniqueAcrossUsers() {
        store.insertPublish(new PublishRow("pub_1", alice.id(), "sb_a", 8080, "shared", Rows.T0));

        assertThatThrownBy(() -> store.insertPublish(new PublishRow("pub_2", bob.id(), "sb_b", 80, "shared", Rows.T0)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALIAS_CONFLICT));
    }

    @Test
    void deleteIsScopedToTheUser() {
        store.insertPublish(new PublishRow("pub_1", alice.id(), "sb_a", 8080, "web-1", Rows.T0));

        assertThat(store.deletePublish(bob.id(), "sb_a", 8080)).isFalse();
        assertThat(store.deletePublish(alice.id(), "sb_a", 8080)).isTrue();
        assertThat(store.publishByAlias("web-1")).isEmpty();
        assertThat(store.deletePublish(alice.id(), "sb_a", 8080)).isFalse();
    }
}
