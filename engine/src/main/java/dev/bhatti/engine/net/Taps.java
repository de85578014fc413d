package dev.bhatti.engine.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The TAP devices of VMs: one per sandbox, named from its id ({@code bhtap} + 10 hex digits of
 * the id's SHA-256, within Linux's 15-character limit), attached to its user's bridge. Orphans
 * (TAPs with our prefix that belong to no known sandbox) are found and removed by prefix.
 */
public final class Taps {
    /** Every TAP name starts with this. */
    public static final String PREFIX = "bhtap";

    private final HostCommands host;

    public Taps(HostCommands host) {
        this.host = host;
    }

    /** The TAP name of sandbox {@code id}. */
    public static String nameFor(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public boolean exists(String tap) {
        return Links.exists(host, tap);
    }

    /** Creates the TAP if missing and attaches it (up) to {@code bridge}; idempotent. */
    public void ensure(String tap, String bridge) {
        if (!exists(tap)) {
            host.run("create TAP " + tap, List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
        }
        host.run("attach TAP " + tap + " to " + bridge, List.of("ip", "link", "set", "dev", tap, "master", bridge, "up"));
    }

    /** Gives the TAP a new random MAC (it carried the gateway's while it was a copy's path, {@link IdentityPaths}). */
    public void resetMac(String tap) {
        host.run("reset MAC of " + tap, List.of("ip", "link", "set", "dev", tap, "address", Mac.random()));
    }

    /** Removes the TAP; fine when it does not exist. */
    public void delete(String tap) {
        if (exists(tap)) {
            host.run("delete TAP " + tap, List.of("ip", "link", "delete", "dev", tap));
        }
    }

    /** Every TAP with our prefix. */
    public List<String> list() {
        return Links.named(host, PREFIX);
    }

    /** Removes TAPs with our prefix that are not in {@code keep}; returns the removed names. */
    public List<String> removeOrphans(Set<String> keep) {
        List<String> orphans = list().stream().filter(t -> !keep.contains(t)).toList();
        orphans.forEach(this::delete);
        return orphans;
    }
}
