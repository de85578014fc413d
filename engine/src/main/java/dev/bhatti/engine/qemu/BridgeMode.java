package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.net.BridgeNetwork;
import dev.bhatti.engine.net.Leases;
import dev.bhatti.engine.net.Mac;
import dev.bhatti.engine.net.Taps;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Bridge networking: a leased address and a random MAC per sandbox, written to the sandbox's
 * {@code nic.properties} so recovery marks the same lease; the TAP is (re)attached before every
 * launch, so it survives stop/start and comes back if something removed it. A copy restored from
 * another VM's memory is first reached off the bridge ({@link dev.bhatti.engine.net.IdentityPaths})
 * until its guest has taken its own address.
 */
record BridgeMode(BridgeNetwork network) implements NetworkMode {
    public Nic allocate(String id, String user, SandboxDir dir) {
        Leases.Lease lease = network.leases().lease(user);
        Nic.Tap nic = new Nic.Tap(user, Taps.nameFor(id), Mac.random(), lease.address(), lease.subnet());
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("mac", nic.mac());
        p.setProperty("address", nic.address());
        try (Writer w = Files.newBufferedWriter(OwnerOnly.file(dir.nic()))) {
            p.store(w, "bhatti bridge NIC of sandbox " + id);
        } catch (IOException e) {
            network.leases().release(lease);
            throw new EngineException.VmmFailed("sandbox " + id + ": writing " + dir.nic() + ": " + e.getMessage(), e);
        }
        return nic;
    }

    public Nic recover(String id, SandboxDir dir, Ports ports) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.nic())) {
            p.load(r);
        } catch (IOException e) {
            throw new EngineException.InvalidSpec("sandbox " + id + ": cannot read its bridge NIC from " + dir.nic()
                    + ": " + e.getMessage());
        }
        String user = p.getProperty("user"), mac = p.getProperty("mac"), address = p.getProperty("address");
        if (user == null || mac == null || address == null) {
            throw new EngineException.InvalidSpec("sandbox " + id + ": " + dir.nic() + " lacks user, mac or address");
        }
        Leases.Lease lease = network.leases().mark(user, address);
        return new Nic.Tap(user, Taps.nameFor(id), mac, address, lease.subnet());
    }

    public void beforeLaunch(String id, Nic nic) {
        Nic.Tap tap = tap(nic);
        if (network.identityPaths().expected(tap.tap())) {
            network.ensureBridge(tap.subnet());
            network.identityPaths().open(tap.tap(), tap.address());
        } else {
            network.attach(id, tap.subnet());
        }
        network.guard(id, tap.tap(), tap.address(), tap.subnet());
    }

    public void describeCapture(Nic nic, SandboxDir capture) throws IOException {
        Nic.Tap tap = tap(nic);
        Properties p = new Properties();
        p.setProperty("address", tap.address());
        p.setProperty("gateway_mac", network.gatewayMac(tap.subnet()));
        try (Writer w = Files.newBufferedWriter(OwnerOnly.file(capture.sourceNic()))) {
            p.store(w, "the address and gateway MAC the captured guest holds");
        }
    }

    public java.util.Optional<dev.bhatti.proto.IdentityRequest.Network> expectCopy(String id, Nic nic, SandboxDir capture)
            throws IOException {
        Nic.Tap tap = tap(nic);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(capture.sourceNic())) {
            p.load(r);
        }
        network.identityPaths().expect(tap.tap(), p.getProperty("address"), p.getProperty("gateway_mac"));
        return java.util.Optional.of(new dev.bhatti.proto.IdentityRequest.Network(tap.address(), 24,
                tap.subnet().gateway(), tap.mac()));
    }

    public void identityTaken(String id, Nic nic) {
        Nic.Tap tap = tap(nic);
        network.identityPaths().close(tap.tap());
        network.taps().resetMac(tap.tap());
        network.attach(id, tap.subnet());
    }

    public void release(String id, Nic nic) {
        Nic.Tap tap = tap(nic);
        network.identityPaths().close(tap.tap());
        network.unguard(id, tap.tap(), tap.address());
        network.detach(id);
        network.leases().release(new Leases.Lease(tap.user(), tap.subnet(), tap.address()));
    }

    @Override
    public void egress(String id, dev.bhatti.engine.net.EgressPolicy policy) {
        network.egress().set(id, policy);
    }

    @Override
    public void egressEvents(java.util.function.Consumer<dev.bhatti.engine.net.EgressAudit.Event> sink) {
        network.audit().sink(sink);
    }

    @Override
    public void close() {
        network.close();
    }

    public List<String> removeOrphans(Set<String> known) {
        network.identityPaths().removeAll();
        network.removeOrphanTables(known.stream().map(Taps::nameFor).collect(java.util.stream.Collectors.toSet()));
        return network.removeOrphanTaps(known);
    }

    private static Nic.Tap tap(Nic nic) {
        if (!(nic instanceof Nic.Tap t)) {
            throw new IllegalStateException("bridge mode given a " + nic.getClass().getSimpleName() + " NIC");
        }
        return t;
    }
}
