package dev.bhatti.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.sdk.internal.Codec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's JSON layer against Jackson (what the daemon writes and the CLI used to print). */
class JsonTest {
    private static final String SAMPLE = """
            [{"id":"sb-1","name":"a \\"q\\" \\u0001 é\\n","cpus":2,"memory_mb":512,"keep_hot":false,"ratio":1.5,
              "labels":{},"tags":[],"nested":{"x":[1,{"y":null}],"z":{"k":"v"}},"none":null},{"id":"sb-2"}]""";

    @Test
    void prettyOutputIsByteForByteJacksonsDefaultPrettyPrinter() throws Exception {
        String jackson = new ObjectMapper().readTree(SAMPLE).toPrettyString();
        assertThat(Json.pretty(Json.parse(SAMPLE))).isEqualTo(jackson);
    }

    @Test
    void compactOutputParsesBackToTheSameTree() throws Exception {
        Object tree = Json.parse(SAMPLE);
        assertThat(Json.parse(Json.write(tree))).isEqualTo(tree);
        assertThat(new ObjectMapper().readTree(Json.write(tree))).isEqualTo(new ObjectMapper().readTree(SAMPLE));
    }

    @Test
    void recordsGoToSnakeCaseFieldsWithoutNullsAndComeBack() {
        SandboxSpec spec = SandboxSpec.builder().name("n").memoryMb(256).labels(Map.of("a", "b"))
                .volumes(List.of(new SandboxSpec.VolumeRef("v", "/data", true))).build();
        assertThat(Json.write(spec)).isEqualTo(
                "{\"name\":\"n\",\"memory_mb\":256,\"volumes\":[{\"name\":\"v\",\"mount\":\"/data\",\"read_only\":true}],"
                        + "\"labels\":{\"a\":\"b\"}}");
        SandboxView view = Codec.value(Json.parse(
                "{\"id\":\"i\",\"name\":\"n\",\"status\":\"running\",\"thermal\":\"hot\",\"cpus\":1,\"memory_mb\":512,"
                        + "\"keep_hot\":true,\"labels\":{\"k\":\"v\"},\"future_field\":[1]}"), SandboxView.class);
        assertThat(view.memoryMb()).isEqualTo(512);
        assertThat(view.keepHot()).isTrue();
        assertThat(view.labels()).containsEntry("k", "v");
        assertThat(view.diskSizeMb()).isNull();
    }

    @Test
    void malformedJsonIsRefusedWithItsOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 5");
        assertThatThrownBy(() -> Json.parse("[1] x")).isInstanceOf(IllegalArgumentException.class);
    }
}
