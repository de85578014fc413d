package dev.bhatti.engine.qemu;

import dev.bhatti.engine.net.BridgeNetwork;
import java.util.List;
import java.util.Set;

/**
 * How sandboxes are networked, chosen once per engine: {@link #user()} (QEMU user-mode, the
 * default) or {@link #bridge} (a TAP per VM on a bridge per user, see {@link BridgeNetwork}).
 */
public sealed interface NetworkMode permits UserMode, BridgeMode, NetnsMode {

    /** QEMU user-mode networking; the agent on loopback ports. */
    static NetworkMode user() {
        return new UserMode();
    }

    /** A network namespace per VM with a TAP inside (decision 0023); the agent on the namespace's veth address. */
    static NetworkMode netns(dev.bhatti.engine.net.SandboxNetworks networks) {
        return new NetnsMode(networks);
    }

    /** A TAP per VM on its user's bridge of {@code network}; the agent on the guest's address. */
    static NetworkMode bridge(BridgeNetwork network) {
        return new BridgeMode(network);
    }

    /** The NIC of a new sandbox of {@code user}, persisted in its directory where the mode needs that. */
    Nic allocate(String id, String user, SandboxDir dir);

    /** The NIC of a recovered sandbox; {@code ports} are the stored loopback ports (user mode). */
    Nic recover(String id, SandboxDir dir, Ports ports);

    /** Called before every QEMU launch (boot and restore): the TAP is recreated if missing. */
    void beforeLaunch(String id, Nic nic);

    /** Called at destroy: removes the TAP and gives the address back. */
    void release(String id, Nic nic);

    /**
     * The engine closed and ended the VM, whose sandbox stays for a later engine to recover: the
     * namespace mode removes the namespace ({@link #beforeLaunch} rebuilds it); the others keep all.
     */
    default void vmEnded(String id, Nic nic) {}

    /** Sets a sandbox's egress policy; only the namespace mode has any but the open one. */
    default void egress(String id, dev.bhatti.engine.net.EgressPolicy policy) {
        if (!policy.equals(dev.bhatti.engine.net.EgressPolicy.OPEN)) {
            throw new dev.bhatti.engine.EngineException.InvalidSpec("egress policies need the netns network mode, not "
                    + getClass().getSimpleName());
        }
    }

    /** Where the egress audit's events go; only the namespace mode has any. */
    default void egressEvents(java.util.function.Consumer<dev.bhatti.engine.net.EgressAudit.Event> sink) {}

    /** The engine closed: services the mode runs for guests (the namespace mode's DNS relay) stop. */
    default void close() {}

    /**
     * Writes into capture directory {@code capture} of a VM with NIC {@code nic} what a copy
     * restored from it needs to reach its guest first (bridge mode: the address and the gateway MAC
     * its guest holds); nothing in user mode, where every guest has the same address anyway.
     */
    void describeCapture(Nic nic, SandboxDir capture) throws java.io.IOException;

    /**
     * Copy {@code id} (NIC {@code nic}) of the capture in {@code capture} is about to be restored:
     * its launch makes the host reach it at its own address while its guest still holds the
     * source's, until {@link #identityTaken}. Answers the network its guest must take (bridge mode).
     */
    java.util.Optional<dev.bhatti.proto.IdentityRequest.Network> expectCopy(String id, Nic nic, SandboxDir capture)
            throws java.io.IOException;

    /** Copy {@code id} answered IDENTITY: it is reached on its own address from now on. */
    void identityTaken(String id, Nic nic);

    /** Removes host devices of sandboxes not in {@code known} (start-up, after recovery); returns their names. */
    List<String> removeOrphans(Set<String> known);
}
