package dev.bhatti.engine.net;

import dev.bhatti.engine.EngineException;
import java.util.BitSet;

/**
 * The VM addresses of one user's /24: hosts {@code .2} to {@code .254} ({@code .1} is the bridge's
 * gateway). Hands out the lowest free host first, takes released hosts back for reuse, and lets
 * recovery mark hosts already in use by VMs that survived a daemon restart. Thread-safe.
 */
public final class IpPool {
    /** The first and last host a VM may get. */
    public static final int FIRST = 2, LAST = 254;
    /** How many VMs one subnet holds. */
    public static final int SIZE = LAST - FIRST + 1;

    private final Subnet subnet;
    private final BitSet used = new BitSet(LAST + 1);

    public IpPool(Subnet subnet) {
        this.subnet = subnet;
    }

    public Subnet subnet() {
        return subnet;
    }

    /** The lowest free address; {@link EngineException.PoolExhausted} once all 253 are taken. */
    public synchronized String allocate() {
        int host = used.nextClearBit(FIRST);
        if (host > LAST) {
            throw new EngineException.PoolExhausted("IP pool exhausted: all " + SIZE + " addresses of "
                    + subnet.cidr() + " are in use");
        }
        used.set(host);
        return subnet.host(host);
    }

    /** Marks an address as in use (recovery); false if it already was. */
    public synchronized boolean mark(String address) {
        int host = subnet.hostOf(address);
        boolean wasFree = !used.get(host);
        used.set(host);
        return wasFree;
    }

    /** Returns an address to the pool; releasing a free address is a no-op. */
    public synchronized void release(String address) {
        used.clear(subnet.hostOf(address));
    }

    public synchronized int inUse() {
        return used.cardinality();
    }
}
