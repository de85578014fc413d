package dev.bhatti.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    @Test
    void generatedKeysHaveThePrefixAnd64HexCharactersAndDiffer() {
        ApiKeys keys = new ApiKeys();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = keys.generate();
            assertThat(key).matches("bht_[0-9a-f]{64}");
            assertThat(ApiKeys.looksValid(key)).isTrue();
            seen.add(key);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void hashIsTheLowercaseHexSha256() {
        assertThat(ApiKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void malformedKeysDoNotLookValid() {
        assertThat(ApiKeys.looksValid(null)).isFalse();
        assertThat(ApiKeys.looksValid("bht_" + "A".repeat(64))).isFalse();
        assertThat(ApiKeys.looksValid("xyz_" + "a".repeat(64))).isFalse();
        assertThat(ApiKeys.looksValid("bht_" + "a".repeat(63))).isFalse();
    }
}
