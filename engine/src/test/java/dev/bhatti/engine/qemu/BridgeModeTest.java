package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.engine.net.BridgeNetwork;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.Taps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bridge mode's lease bookkeeping across a daemon restart (no host devices are touched here). */
class BridgeModeTest {
    @TempDir
    Path data;

    private SandboxDir dir(String id) throws IOException {
        SandboxDir dir = new SandboxDir(data.resolve("sandboxes").resolve(id));
        dir.create();
        return dir;
    }

    private static NetworkMode freshDaemon() {
        return NetworkMode.bridge(new BridgeNetwork(HostCommands.local(), "10.200"));
    }

    @Test
    void recoveryMarksTheStoredLeaseSoANewSandboxGetsTheNextAddress() throws IOException {
        NetworkMode before = freshDaemon();
        SandboxDir one = dir("sb-one");
        Nic.Tap created = (Nic.Tap) before.allocate("sb-one", "alice", one);
        assertThat(created.address()).isEqualTo("10.200.0.2");
        assertThat(created.tap()).isEqualTo(Taps.nameFor("sb-one"));

        NetworkMode after = freshDaemon();
        Nic.Tap recovered = (Nic.Tap) after.recover("sb-one", one, new Ports(1024, 1025));
        assertThat(recovered).isEqualTo(created);
        assertThat(((Nic.Tap) after.allocate("sb-two", "alice", dir("sb-two"))).address()).isEqualTo("10.200.0.3");
        assertThat(((Nic.Tap) after.allocate("sb-three", "bob", dir("sb-three"))).subnet().bridge()).isEqualTo("bhbr1");
    }

    @Test
    void aSandboxWithoutStoredNicCannotBeRecoveredInBridgeMode() throws IOException {
        SandboxDir dir = dir("sb-user-mode");
        assertThatThrownBy(() -> freshDaemon().recover("sb-user-mode", dir, new Ports(40001, 40002)))
                .hasMessageContaining("sandbox sb-user-mode: cannot read its bridge NIC from " + dir.nic());
        Files.writeString(dir.nic(), "user=alice\n");
        assertThatThrownBy(() -> freshDaemon().recover("sb-user-mode", dir, new Ports(40001, 40002)))
                .hasMessageContaining("lacks user, mac or address");
    }
}
