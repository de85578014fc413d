package dev.bhatti.api.model;

import java.util.List;

/**
 * Where a sandbox's guest may open connections (decision 0024), on create, {@code PATCH} and
 * templates. Entries are IPv4 addresses, CIDRs, domains or {@code *.domain}, each optionally with
 * {@code :port}. With nothing set the outside world is open and the host's, private, link-local
 * and loopback networks are not. {@code deny_out} closes destinations, {@code block_all} closes
 * everything, and {@code allow_out} opens destinations over both (and over the closed ranges).
 */
public record NetworkPolicy(List<String> allowOut, List<String> denyOut, Boolean blockAll) {
    public NetworkPolicy {
        blockAll = Boolean.TRUE.equals(blockAll);
        allowOut = allowOut == null ? List.of() : List.copyOf(allowOut);
        denyOut = denyOut == null ? List.of() : List.copyOf(denyOut);
    }

    /** No rule: the outside world open, the host and private networks closed. */
    public static NetworkPolicy open() {
        return new NetworkPolicy(List.of(), List.of(), false);
    }

    /** Everything closed but {@code entries}. */
    public static NetworkPolicy allowOnly(String... entries) {
        return new NetworkPolicy(List.of(entries), List.of(), true);
    }

    /** The outside world open except {@code entries}. */
    public static NetworkPolicy denying(String... entries) {
        return new NetworkPolicy(List.of(), List.of(entries), false);
    }
}
