package dev.bhatti.engine.qemu;

import dev.bhatti.engine.net.Subnet;
import java.util.List;
import java.util.Optional;

/** A VM's network card as QEMU sees it, and where the host finds the agent through it. */
sealed interface Nic {
    /** The agent's control and forward ports inside the guest. */
    int GUEST_CONTROL = 1024, GUEST_FORWARD = 1025;

    /** The {@code -netdev}/{@code -device} arguments. */
    List<String> qemuArgs();

    /** Appended to the kernel command line ("" for none). */
    String kernelArg();

    String agentHost();

    /** The guest's address where the host shares a network with it (bridge mode). */
    Optional<String> guestAddress();

    /** The agent's control port where the host connects (the guest's own, unless forwarded). */
    default int controlPort() {
        return GUEST_CONTROL;
    }

    default int forwardPort() {
        return GUEST_FORWARD;
    }

    /** The NIC to retry a launch with after QEMU could not bind what this one asked for (itself: nothing was bound). */
    default Nic retried() {
        return this;
    }

    /** What QEMU's command line is run under (namespace mode: {@code nsenter} into the sandbox's namespace). */
    default List<String> launchPrefix() {
        return List.of();
    }

    /**
     * Namespace mode (the default): a TAP inside the sandbox's own network namespace; the agent's
     * ports are forwarded from the namespace's veth address. QEMU's default MAC and bhatti-init's
     * default address: every guest looks the same, each in its own namespace.
     */
    record Netns(dev.bhatti.engine.net.SandboxNetworks.Lease lease) implements Nic {
        public List<String> qemuArgs() {
            return List.of("-netdev", "tap,id=n0,ifname=" + dev.bhatti.engine.net.NetnsRules.TAP + ",script=no,downscript=no",
                    "-device", "virtio-net-device,netdev=n0");
        }

        public String kernelArg() {
            return "";
        }

        public String agentHost() {
            return lease.nsAddress();
        }

        public Optional<String> guestAddress() {
            return Optional.empty();
        }


        public List<String> launchPrefix() {
            return dev.bhatti.engine.net.SandboxNetworks.enter(lease.netns());
        }
    }

    /** User-mode networking: the agent's ports forwarded to loopback ports. */
    record User(Ports ports) implements Nic {
        public List<String> qemuArgs() {
            return List.of("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + ports.control() + "-:" + GUEST_CONTROL
                    + ",hostfwd=tcp:127.0.0.1:" + ports.forward() + "-:" + GUEST_FORWARD, "-device", "virtio-net-device,netdev=n0");
        }

        public String kernelArg() {
            return "";
        }

        public String agentHost() {
            return "127.0.0.1";
        }

        public Optional<String> guestAddress() {
            return Optional.empty();
        }

        public int controlPort() {
            return ports.control();
        }

        public int forwardPort() {
            return ports.forward();
        }

        public Nic retried() {
            return new User(Ports.pick());
        }
    }

    /** Bridge mode: a TAP on the user's bridge; the guest address comes from the kernel's {@code ip=}. */
    record Tap(String user, String tap, String mac, String address, Subnet subnet) implements Nic {
        public List<String> qemuArgs() {
            return List.of("-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
                    "-device", "virtio-net-device,netdev=n0,mac=" + mac);
        }

        public String kernelArg() {
            // The 8th field is the resolver: the bridge's gateway, where the DNS relay listens.
            return "ip=" + address + "::" + subnet.gateway() + ":255.255.255.0::eth0:off:" + subnet.gateway();
        }

        public String agentHost() {
            return address;
        }

        public Optional<String> guestAddress() {
            return Optional.of(address);
        }

    }
}
