package dev.bhatti.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One egress attempt of a sandbox's guest (decision 0024): a new connection ({@code tcp},
 * {@code udp}, {@code icmp}, ...) to {@code address}:{@code port}, or a name asked of the relay
 * ({@code dns}: {@code address} is the relay's upstream answer's first address, or empty); the
 * domain when one is known; whether it was let through.
 */
public record EgressRecord(String sandboxId, Instant at, String protocol, String address, Integer port, String domain,
                           boolean allowed) {
    public EgressRecord {
        Check.text(sandboxId, "sandbox id");
        Objects.requireNonNull(at, "at is required");
        Check.text(protocol, "protocol");
        Objects.requireNonNull(address, "address is required");
    }
}
