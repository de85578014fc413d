package dev.bhatti.server.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.Thermal;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.server.ProbeEngine;
import dev.bhatti.server.RealVms;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shutdown snapshots on two real VMs, shared by the tests. */
class SnapshotAllTest {
    private static RealVms vms;
    private static String first;
    private static String second;

    @BeforeAll
    static void boot() throws Exception {
        vms = new RealVms();
        first = vms.create("shut").id();
        second = vms.create("shut").id();
    }

    @AfterAll
    static void shutDown() throws Exception {
        vms.close();
    }

    private static String sh(String id, String script) throws IOException {
        return vms.engine.agent(id).exec(ExecRequest.of("sh", "-c", script)).stdout();
    }

    @Test
    void hotAndWarmSandboxesGoColdAndStartAgainWithTheirData() throws Exception {
        vms.engine.ensureHot(first);
        vms.engine.ensureHot(second);
        sh(first, "echo first-data > /workspace/kept");
        sh(second, "echo second-data > /workspace/kept");
        vms.engine.pause(second);

        SnapshotAll.Report report = SnapshotAll.run(vms.engine, List.of(first, second, "ghost"));

        assertThat(report.results()).extracting(SnapshotAll.Result::id).containsExactly(first, second, "ghost");
        assertThat(report.failed()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("ghost");
            assertThat(r.attempts()).as("an unknown sandbox is not retried").isEqualTo(1);
            assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).contains("ghost").contains("not found"));
        });
        for (String id : List.of(first, second)) {
            assertThat(vms.engine.status(id).thermal()).isEqualTo(Thermal.COLD);
            assertThat(vms.vmms(vms.sandboxDir(id) + "/")).as("VMM of a cold sandbox").isEmpty();
        }
        vms.engine.ensureHot(first);
        vms.engine.ensureHot(second);
        assertThat(sh(first, "cat /workspace/kept")).isEqualTo("first-data\n");
        assertThat(sh(second, "cat /workspace/kept")).isEqualTo("second-data\n");
    }

    @Test
    void failedSnapshotIsRetriedOnceAndASecondFailureIsReportedWithItsReason() {
        vms.engine.ensureHot(first);
        vms.engine.ensureHot(second);
        ProbeEngine engine = new ProbeEngine(vms.engine);
        engine.failNextStops(first, 1);
        engine.failNextStops(second, 2);

        SnapshotAll.Report report = SnapshotAll.run(engine, List.of(first, second));

        SnapshotAll.Result retried = report.results().get(0);
        assertThat(retried.ok()).isTrue();
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(vms.engine.status(first).thermal()).isEqualTo(Thermal.COLD);
        SnapshotAll.Result failed = report.results().get(1);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.failure()).hasValueSatisfying(f -> assertThat(f).contains("injected").contains(second));
        assertThat(vms.engine.status(second).thermal()).as("left as it was").isEqualTo(Thermal.HOT);
    }
}
