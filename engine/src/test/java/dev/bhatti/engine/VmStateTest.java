package dev.bhatti.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VmStateTest {
    private final VmState state = new VmState("sb-1", "one", Path.of("/data/sandboxes/sb-1"), 2, 768, "ab12",
            40001, 40002, List.of(new VmState.VolumeState("/data/v.ext4", true)), 4, Optional.empty());

    @Test
    void roundTripsThroughAMap() {
        assertThat(VmState.fromMap(state.toMap())).isEqualTo(state);
    }

    @Test
    void acceptsNumbersOfAnyNumericTypeAsJsonStoresMayReturnThem() {
        Map<String, Object> m = new HashMap<>(state.toMap());
        m.put("cpus", 2.0d);
        m.put("memory_mb", 768L);
        m.put("control_port", "40001");
        m.put("forward_port", 40002.0f);
        assertThat(VmState.fromMap(m)).isEqualTo(state);
    }

    @Test
    void stateStoredBeforeVolumeSlotsExistedIsABootedVm() {
        Map<String, Object> m = new HashMap<>(state.toMap());
        m.remove("volume_slots");
        assertThat(VmState.fromMap(m).volumeSlots()).isZero();
    }

    @Test
    void keepsTheBrokenReason() {
        Map<String, Object> m = new HashMap<>(state.toMap());
        m.put("broken", "device state missing");
        assertThat(VmState.fromMap(m).broken()).contains("device state missing");
    }

    @Test
    void missingOrMalformedFieldsAreNamed() {
        Map<String, Object> m = new HashMap<>(state.toMap());
        m.remove("token");
        assertThatThrownBy(() -> VmState.fromMap(m)).isInstanceOf(EngineException.InvalidSpec.class).hasMessageContaining("token");
        Map<String, Object> n = new HashMap<>(state.toMap());
        n.put("cpus", List.of());
        assertThatThrownBy(() -> VmState.fromMap(n)).hasMessageContaining("cpus");
    }
}
