package dev.bhatti.engine.net;

import dev.bhatti.engine.EngineException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bridge-mode addressing: each user gets a subnet index (lowest free first, 0..255) and with it a
 * /24 and a bridge; each VM gets an address from its user's {@link IpPool}. A user's index is
 * given back when their last address is released. Recovery re-marks the leases of VMs that
 * survived a daemon restart. Thread-safe.
 */
public final class Leases {
    /** One VM's address. */
    public record Lease(String user, Subnet subnet, String address) {}

    private final String prefix;
    private final Map<String, IpPool> pools = new HashMap<>();
    private final Map<Integer, String> owners = new HashMap<>();

    /** @param prefix the first two octets of the bridge range, e.g. {@code 10.200} */
    public Leases(String prefix) {
        this.prefix = new Subnet(prefix, 0).prefix();
    }

    /** A new address for a VM of {@code user}, allocating the user's subnet on first use. */
    public synchronized Lease lease(String user) {
        IpPool pool = pools.get(user);
        if (pool == null) {
            pool = adopt(user, new Subnet(prefix, freeIndex()));
        }
        return new Lease(user, pool.subnet(), pool.allocate());
    }

    /** The user's subnet, if they hold one. */
    public synchronized Optional<Subnet> subnetOf(String user) {
        return Optional.ofNullable(pools.get(user)).map(IpPool::subnet);
    }

    /** Marks a recovered VM's address as taken; fails if its subnet belongs to another user. */
    public synchronized Lease mark(String user, String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4 || !address.startsWith(prefix + ".")) {
            throw new EngineException.InvalidSpec("address " + address + " is not in the bridge range " + prefix + ".0.0/16");
        }
        Subnet subnet = new Subnet(prefix, octet(address, octets[2]));
        String owner = owners.get(subnet.index());
        if (owner != null && !owner.equals(user)) {
            throw new EngineException.InvalidSpec("cannot mark " + address + " for user " + user + ": "
                    + subnet.cidr() + " belongs to user " + owner);
        }
        IpPool pool = pools.get(user);
        if (pool != null && !pool.subnet().equals(subnet)) {
            throw new EngineException.InvalidSpec("cannot mark " + address + " for user " + user + ": the user already has "
                    + pool.subnet().cidr());
        }
        if (pool == null) {
            pool = adopt(user, subnet);
        }
        pool.mark(address);
        return new Lease(user, subnet, address);
    }

    /** Gives an address back; the user's subnet too when it was their last. */
    public synchronized void release(Lease lease) {
        IpPool pool = pools.get(lease.user());
        if (pool == null || !pool.subnet().equals(lease.subnet())) {
            return;
        }
        pool.release(lease.address());
        if (pool.inUse() == 0) {
            pools.remove(lease.user());
            owners.remove(lease.subnet().index());
        }
    }

    private static int octet(String address, String octet) {
        try {
            return Integer.parseInt(octet);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidSpec("address " + address + " is not an IPv4 address");
        }
    }

    private IpPool adopt(String user, Subnet subnet) {
        IpPool pool = new IpPool(subnet);
        pools.put(user, pool);
        owners.put(subnet.index(), user);
        return pool;
    }

    private int freeIndex() {
        for (int i = 0; i <= 255; i++) {
            if (!owners.containsKey(i)) {
                return i;
            }
        }
        throw new EngineException.PoolExhausted("subnet pool exhausted: all 256 user subnets of " + prefix
                + ".0.0/16 are in use");
    }
}
