package dev.bhatti.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.VmState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The recovery table of SPEC §7 with a fake state provider (allowed by the seed), no VMs. */
class RecoveryTest {

    /** Records what recovery asked of the engine; snapshots are complete for the ids it is given. */
    static final class FakeProvider implements VmStateProvider {
        final Set<String> complete;
        final List<VmState> registered = new ArrayList<>();
        final Set<String> failRegister = new HashSet<>();

        FakeProvider(Set<String> complete) {
            this.complete = complete;
        }

        @Override
        public boolean snapshotComplete(VmState state) {
            return complete.contains(state.id());
        }

        @Override
        public void register(VmState state) {
            if (failRegister.contains(state.id())) {
                throw new IllegalStateException("engine refused " + state.id());
            }
            registered.add(state);
        }
    }

    static final class RecordingSink implements RecoverySink {
        final List<String> restored = new ArrayList<>();
        final Map<String, String> unknown = new java.util.LinkedHashMap<>();
        final Map<String, String> interrupted = new java.util.LinkedHashMap<>();

        @Override
        public void restoredCold(String id) {
            restored.add(id);
        }

        @Override
        public void markedUnknown(String id, String reason) {
            unknown.put(id, reason);
        }

        @Override
        public void createInterrupted(String id, String reason) {
            interrupted.put(id, reason);
        }
    }

    record Row(String name, String status, boolean hasSnapshot, Class<? extends RecoveryOutcome> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row("stopped with snapshot → restored as stopped", "stopped", true, RecoveryOutcome.RestoredCold.class),
                new Row("stopped without snapshot → marked unknown", "stopped", false, RecoveryOutcome.MarkedUnknown.class),
                new Row("running with snapshot → restored as stopped", "running", true, RecoveryOutcome.RestoredCold.class),
                new Row("running without snapshot → marked unknown", "running", false, RecoveryOutcome.MarkedUnknown.class),
                new Row("destroyed → skipped", "destroyed", true, RecoveryOutcome.Skipped.class),
                new Row("unknown stays unknown even with a snapshot", "unknown", true, RecoveryOutcome.MarkedUnknown.class),
                new Row("failed stays failed even with a snapshot", "failed", true, RecoveryOutcome.StaysFailed.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void storedStatusAndSnapshotDecideTheOutcome(Row row) {
        FakeProvider provider = new FakeProvider(row.hasSnapshot() ? Set.of("sb-1") : Set.of());
        RecordingSink sink = new RecordingSink();

        RecoveryReport report = Recovery.run(List.of(new StoredSandbox("sb-1", row.status(), json("sb-1", "512"))),
                provider, sink);

        assertThat(report.outcome("sb-1")).isInstanceOf(row.expected());
        assertThat(sink.restored).isEqualTo(row.expected() == RecoveryOutcome.RestoredCold.class ? List.of("sb-1") : List.of());
        assertThat(sink.unknown.keySet())
                .isEqualTo(row.expected() == RecoveryOutcome.MarkedUnknown.class ? Set.of("sb-1") : Set.of());
        assertThat(provider.registered).hasSize(row.status().equals("destroyed") ? 0 : 1);
    }

    @Test
    void sandboxWithoutEngineStateIsAnInterruptedCreateWithAClearReasonAndNotRegistered() {
        FakeProvider provider = new FakeProvider(Set.of());
        RecordingSink sink = new RecordingSink();

        RecoveryReport report = Recovery.run(List.of(new StoredSandbox("bare", "running", null)), provider, sink);

        assertThat(report.outcome("bare")).isInstanceOf(RecoveryOutcome.CreateInterrupted.class);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(sink.interrupted.get("bare")).contains("create was interrupted");
        assertThat(sink.unknown).isEmpty();
        assertThat(provider.registered).isEmpty();
    }

    @Test
    void numbersComeBackAsFloatsIntsOrTextAndAreAllAccepted() {
        FakeProvider provider = new FakeProvider(Set.of("floats", "ints", "texts"));
        RecordingSink sink = new RecordingSink();
        List<StoredSandbox> stored = List.of(
                new StoredSandbox("floats", "stopped", json("floats", "512.0").replace("\"cpus\": 2", "\"cpus\": 2.0")
                        .replace("40000", "40000.0")),
                new StoredSandbox("ints", "stopped", json("ints", "512")),
                new StoredSandbox("texts", "stopped", json("texts", "\"512\"")));

        RecoveryReport report = Recovery.run(stored, provider, sink);

        assertThat(report.restored()).isEqualTo(3);
        assertThat(provider.registered).extracting(VmState::memoryMb).containsOnly(512);
        assertThat(provider.registered).extracting(VmState::cpus).containsOnly(2);
        assertThat(provider.registered).extracting(VmState::controlPort).containsOnly(40000);
    }

    @Test
    void malformedStateJsonIsMarkedUnknownNamingTheProblem() {
        RecordingSink sink = new RecordingSink();
        List<StoredSandbox> stored = List.of(
                new StoredSandbox("garbled", "stopped", "{\"id\": \"garbled\", "),
                new StoredSandbox("nomem", "stopped", json("nomem", "true")),
                new StoredSandbox("other", "stopped", json("someone-else", "512")));

        RecoveryReport report = Recovery.run(stored, new FakeProvider(Set.of("garbled", "nomem", "other")), sink);

        assertThat(report.unknown()).isEqualTo(3);
        assertThat(sink.unknown.get("garbled")).contains("garbled").contains("malformed");
        assertThat(sink.unknown.get("nomem")).contains("invalid").contains("memory_mb");
        assertThat(sink.unknown.get("other")).contains("someone-else");
    }

    @Test
    void severalSandboxesAreRecoveredInOnePassAndOneFailureDoesNotStopTheOthers() {
        FakeProvider provider = new FakeProvider(Set.of("a", "b", "broken-engine", "d"));
        provider.failRegister.add("broken-engine");
        RecordingSink sink = new RecordingSink();
        List<StoredSandbox> stored = List.of(
                new StoredSandbox("a", "running", json("a", "512")),
                new StoredSandbox("b", "stopped", json("b", "1024")),
                new StoredSandbox("broken-engine", "running", json("broken-engine", "512")),
                new StoredSandbox("c", "stopped", json("c", "512")),
                new StoredSandbox("gone", "destroyed", null),
                new StoredSandbox("d", "running", json("d", "256")));

        RecoveryReport report = Recovery.run(stored, provider, sink);

        assertThat(report.outcomes().keySet()).containsExactly("a", "b", "broken-engine", "c", "gone", "d");
        assertThat(report.restored()).isEqualTo(3);
        assertThat(report.unknown()).isEqualTo(2);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(sink.restored).containsExactly("a", "b", "d");
        assertThat(sink.unknown.get("broken-engine")).contains("engine refused broken-engine");
        assertThat(sink.unknown.get("c")).contains("incomplete");
    }

    @Test
    void aFailingSinkIsLoggedAndTheOtherSandboxesAreStillReported() {
        List<String> reported = new ArrayList<>();
        RecoverySink flaky = new RecoverySink() {
            @Override
            public void restoredCold(String id) {
                if (id.equals("first")) {
                    throw new IllegalStateException("store is read-only");
                }
                reported.add(id);
            }

            @Override
            public void markedUnknown(String id, String reason) {
                reported.add(id);
            }

            @Override
            public void createInterrupted(String id, String reason) {
                reported.add(id);
            }
        };

        Recovery.run(List.of(new StoredSandbox("first", "stopped", json("first", "512")),
                new StoredSandbox("second", "stopped", json("second", "512"))), new FakeProvider(Set.of("first", "second")), flaky);

        assertThat(reported).containsExactly("second");
    }

    /** VM state JSON as the daemon stores it ({@code VmState.toMap}), with memory_mb written as given. */
    private static String json(String id, String memoryMb) {
        return """
                {"id": "%s", "name": "%s", "dir": "/var/lib/bhatti/sandboxes/%s", "cpus": 2, "memory_mb": %s,
                 "token": "abc", "control_port": 40000, "forward_port": 40001,
                 "volumes": [{"image": "/v/data.ext4", "read_only": false}]}
                """.formatted(id, id, id, memoryMb);
    }
}
