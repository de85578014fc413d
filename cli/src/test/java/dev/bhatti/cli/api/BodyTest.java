package dev.bhatti.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyTest {
    @Test
    void unsetValuesAreLeftOutSoDaemonDefaultsApply() {
        Body body = new Body().put("name", null).put("secrets", List.of()).put("labels", Map.of())
                .flag("keep_hot", false);
        assertThat(body.fields()).isEmpty();
    }

    @Test
    void givenValuesKeepTheirOrder() {
        Body body = new Body().put("name", "a").put("cpus", 2).flag("keep_hot", true).put("keep_cold", false)
                .put("secrets", List.of("K"));
        assertThat(body.fields()).containsExactly(Map.entry("name", "a"), Map.entry("cpus", 2),
                Map.entry("keep_hot", true), Map.entry("keep_cold", false), Map.entry("secrets", List.of("K")));
    }
}
