package dev.bhatti.engine.qemu;

import java.util.List;
import java.util.Set;

/** QEMU user-mode networking: nothing on the host to set up, keep or clean. */
record UserMode() implements NetworkMode {

    public Nic allocate(String id, String user, SandboxDir dir) {
        return new Nic.User(Ports.pick());
    }

    public Nic recover(String id, SandboxDir dir, Ports ports) {
        return new Nic.User(ports);
    }

    public void beforeLaunch(String id, Nic nic) {}

    public void release(String id, Nic nic) {}

    public void describeCapture(Nic nic, SandboxDir capture) {}

    public java.util.Optional<dev.bhatti.proto.IdentityRequest.Network> expectCopy(String id, Nic nic, SandboxDir capture) {
        return java.util.Optional.empty();
    }

    public void identityTaken(String id, Nic nic) {}

    public List<String> removeOrphans(Set<String> known) {
        return List.of();
    }
}
