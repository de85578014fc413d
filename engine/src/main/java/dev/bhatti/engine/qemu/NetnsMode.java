package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.net.SandboxNetworks;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The default: a network namespace per sandbox ({@link SandboxNetworks}), its lease written to the
 * sandbox's {@code nic.properties} so recovery finds it, rebuilt before a launch when it is gone.
 * Every guest holds the same address inside its own namespace, so copies need nothing from the
 * network at IDENTITY.
 */
record NetnsMode(SandboxNetworks networks) implements NetworkMode {
    public Nic allocate(String id, String user, SandboxDir dir) {
        SandboxNetworks.Lease lease = networks.create(id);
        Properties p = new Properties();
        p.setProperty("netns", lease.netns());
        p.setProperty("veth", lease.veth());
        p.setProperty("host_address", lease.hostAddress());
        p.setProperty("ns_address", lease.nsAddress());
        try (Writer w = Files.newBufferedWriter(OwnerOnly.file(dir.nic()))) {
            p.store(w, "bhatti network namespace of sandbox " + id);
        } catch (IOException e) {
            networks.delete(id, lease.netns());
            throw new EngineException.VmmFailed("sandbox " + id + ": writing " + dir.nic() + ": " + e.getMessage(), e);
        }
        return new Nic.Netns(lease);
    }

    public Nic recover(String id, SandboxDir dir, Ports ports) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.nic())) {
            p.load(r);
        } catch (IOException e) {
            throw new EngineException.InvalidSpec("sandbox " + id + ": cannot read its network namespace from "
                    + dir.nic() + ": " + e.getMessage());
        }
        SandboxNetworks.Lease lease = new SandboxNetworks.Lease(p.getProperty("netns"), p.getProperty("veth"),
                p.getProperty("host_address"), p.getProperty("ns_address"));
        if (lease.netns() == null || lease.veth() == null || lease.hostAddress() == null || lease.nsAddress() == null) {
            throw new EngineException.InvalidSpec("sandbox " + id + ": " + dir.nic() + " lacks netns, veth or addresses");
        }
        networks.recovered(id, lease);
        return new Nic.Netns(lease);
    }

    public void beforeLaunch(String id, Nic nic) {
        networks.ensure(id, netns(nic).lease());
    }

    public void release(String id, Nic nic) {
        networks.delete(id, netns(nic).lease().netns());
    }

    @Override
    public void vmEnded(String id, Nic nic) {
        networks.suspend(id, netns(nic).lease().netns());
    }

    @Override
    public void egress(String id, dev.bhatti.engine.net.EgressPolicy policy) {
        networks.egress().set(id, policy);
    }

    @Override
    public void egressEvents(java.util.function.Consumer<dev.bhatti.engine.net.EgressAudit.Event> sink) {
        networks.audit().sink(sink);
    }

    @Override
    public void close() {
        networks.close();
    }

    public void describeCapture(Nic nic, SandboxDir capture) {}

    public Optional<dev.bhatti.proto.IdentityRequest.Network> expectCopy(String id, Nic nic, SandboxDir capture) {
        return Optional.empty();
    }

    public void identityTaken(String id, Nic nic) {}

    public List<String> removeOrphans(Set<String> known) {
        return networks.removeOrphans(known.stream().map(networks::netnsFor).collect(java.util.stream.Collectors.toSet()));
    }

    private static Nic.Netns netns(Nic nic) {
        if (!(nic instanceof Nic.Netns n)) {
            throw new IllegalStateException("namespace mode given a " + nic.getClass().getSimpleName() + " NIC");
        }
        return n;
    }
}
