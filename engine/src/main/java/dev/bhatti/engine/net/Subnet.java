package dev.bhatti.engine.net;

import dev.bhatti.engine.EngineException;

/**
 * One user's /24 inside the bridge range {@code <prefix>.0.0/16}: subnet {@code index} is
 * {@code <prefix>.<index>.0/24}, its gateway {@code .1} lives on bridge {@code bhbr<index>}.
 *
 * @param prefix the first two octets of the bridge range, e.g. {@code 10.200}
 * @param index  0..255
 */
public record Subnet(String prefix, int index) {
    /** Bridge names start with this, so nftables can match all of them as {@code bhbr*}. */
    public static final String BRIDGE_PREFIX = "bhbr";

    public Subnet {
        if (!prefix.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)")) {
            throw new EngineException.InvalidSpec("bridge range prefix must be two octets such as 10.200, got " + prefix);
        }
        if (index < 0 || index > 255) {
            throw new EngineException.InvalidSpec("subnet index must be 0..255, got " + index);
        }
    }

    public String cidr() {
        return prefix + "." + index + ".0/24";
    }

    public String gateway() {
        return host(1);
    }

    public String bridge() {
        return BRIDGE_PREFIX + index;
    }

    /** The address of host {@code n} (1..254). */
    public String host(int n) {
        return prefix + "." + index + "." + n;
    }

    /** The host number of an address in this subnet (2..254); names the subnet when it is not. */
    public int hostOf(String address) {
        String net = prefix + "." + index + ".";
        if (!address.startsWith(net)) {
            throw new EngineException.InvalidSpec("address " + address + " is not in " + cidr());
        }
        int host;
        try {
            host = Integer.parseInt(address.substring(net.length()));
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidSpec("address " + address + " is not in " + cidr());
        }
        if (host < IpPool.FIRST || host > IpPool.LAST) {
            throw new EngineException.InvalidSpec("address " + address + " is not a VM address of " + cidr()
                    + " (." + IpPool.FIRST + " to ." + IpPool.LAST + ")");
        }
        return host;
    }
}
