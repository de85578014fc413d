package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityRequestTest {
    private static IdentityRequest with(List<IdentityRequest.Volume> volumes, IdentityRequest.Network network) {
        return new IdentityRequest("ab".repeat(16), "sb-1", "copy-1", "cd".repeat(16), Map.of(), Map.of(), null, List.of(),
                Base64.getEncoder().encodeToString(new byte[32]), null, volumes, network);
    }

    @Test
    void volumesAndNetworkTravelWithTheProtocolsFieldNames() throws ProtocolException {
        IdentityRequest r = with(List.of(new IdentityRequest.Volume("/dev/vdc", "/data", null, true)),
                new IdentityRequest.Network("10.200.0.4", 24, "10.200.0.1", "02:aa:bb:cc:dd:ee"));
        String json = new String(Json.encode(r), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"read_only\":true", "\"fs\":\"ext4\"",
                "\"network\":{\"address\":\"10.200.0.4\",\"prefix\":24,\"gateway\":\"10.200.0.1\",\"mac\":\"02:aa:bb:cc:dd:ee\"}");
        assertThat(Json.decode(Json.encode(r), IdentityRequest.class).network()).isEqualTo(r.network());
    }

    @Test
    void aRequestWithoutVolumesOrNetworkDecodesToNoneOfThem() throws ProtocolException {
        IdentityRequest r = Json.decode(Json.encode(with(null, null)), IdentityRequest.class);
        assertThat(r.volumes()).isEmpty();
        assertThat(r.network()).isNull();
    }

    @Test
    void aMalformedNetworkIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new IdentityRequest.Network("10.200.0.400", 24, "10.200.0.1", "02:aa:bb:cc:dd:ee"))
                .hasMessageContaining("IPv4").hasMessageContaining("10.200.0.400");
        assertThatThrownBy(() -> new IdentityRequest.Network("10.200.0.4", 24, "10.200.0.1", "02-AA-BB-CC-DD-EE"))
                .hasMessageContaining("mac");
        assertThatThrownBy(() -> new IdentityRequest.Network("10.200.0.4", 0, "10.200.0.1", "02:aa:bb:cc:dd:ee"))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> new IdentityRequest.Volume("/dev/sda", "/data", null, false)).hasMessageContaining("/dev/vdc");
    }
}
