package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.net.Subnet;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NicTest {
    private static final GuestImages IMAGES = GuestImages.fromCache();
    private static final SandboxDir DIR = new SandboxDir(Path.of("/data/sandboxes/sb-1"));

    private static List<String> args(Nic nic) {
        return new QemuCommand(DIR, 1, 512, Accel.TCG.withFreePageReporting(false), IMAGES,
                QemuCommand.kernelArgs(OptionalLong.empty()), nic,
                List.of(), 0, false).args(Path.of("/usr/bin/qemu-system-x86_64"));
    }

    @Test
    void tapNicAttachesTheTapWithItsMacAndSetsTheGuestAddressAndResolverOnTheKernelCommandLine() {
        Nic tap = new Nic.Tap("alice", "bhtap0123456789", "02:11:22:33:44:55", "10.200.4.7", new Subnet("10.200", 4));
        List<String> a = args(tap);
        assertThat(String.join(" ", a))
                .contains("-netdev tap,id=n0,ifname=bhtap0123456789,script=no,downscript=no")
                .contains("-device virtio-net-device,netdev=n0,mac=02:11:22:33:44:55")
                .doesNotContain("hostfwd");
        assertThat(a.get(a.indexOf("-append") + 1)).as("the gateway is also the resolver (the DNS relay)")
                .endsWith(" ip=10.200.4.7::10.200.4.1:255.255.255.0::eth0:off:10.200.4.1");
        assertThat(tap.agentHost()).isEqualTo("10.200.4.7");
        assertThat(List.of(tap.controlPort(), tap.forwardPort())).containsExactly(1024, 1025);
    }

    @Test
    void userNicForwardsTheAgentPortsToLoopbackOnly() {
        Nic user = new Nic.User(new Ports(40001, 40002));
        List<String> a = args(user);
        assertThat(String.join(" ", a)).contains(
                "-netdev user,id=n0,hostfwd=tcp:127.0.0.1:40001-:1024,hostfwd=tcp:127.0.0.1:40002-:1025");
        assertThat(a.get(a.indexOf("-append") + 1)).doesNotContain("ip=");
        assertThat(user.agentHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void namespaceNicRunsQemuInTheNamespaceOnItsTapAndReachesTheAgentAtTheVethAddress() {
        Nic ns = new Nic.Netns(new dev.bhatti.engine.net.SandboxNetworks.Lease("bhatti-0011aabb-123456789abc",
                "bhv0123456789ab", "10.213.0.5", "10.213.0.6"));
        List<String> a = args(ns);
        assertThat(a.subList(0, 3)).containsExactly("nsenter", "--net=/run/netns/bhatti-0011aabb-123456789abc", "--");
        assertThat(String.join(" ", a)).contains("-netdev tap,id=n0,ifname=tap0,script=no,downscript=no")
                .endsWith("-device virtio-net-device,netdev=n0").doesNotContain("hostfwd").doesNotContain("mac=");
        assertThat(a.get(a.indexOf("-append") + 1)).as("bhatti-init's default address, as in user mode").doesNotContain("ip=");
        assertThat(ns.agentHost()).isEqualTo("10.213.0.6");
        assertThat(List.of(ns.controlPort(), ns.forwardPort())).containsExactly(1024, 1025);
    }
}
