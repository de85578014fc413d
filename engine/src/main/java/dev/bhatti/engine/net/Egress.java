package dev.bhatti.engine.net;

import dev.bhatti.engine.net.dns.DnsMessage;
import dev.bhatti.engine.net.dns.DnsRelay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress policies of an engine's sandboxes in the namespace mode, and what enforces them: each
 * namespace's table ({@link NetnsRules}) and, for domain rules, the relay's answers, whose
 * addresses go into the table's {@code *_dns} sets (for the answer's TTL, at least 60 s) before
 * the answer reaches the guest. A policy may be set before the sandbox exists (the create's own
 * policy is in place before its guest runs) and is replaced live: the table is rebuilt and the
 * addresses still fresh from earlier answers are put back under the new policy. Connections
 * already open stay open. An address that several names share is decided by address: while any
 * allowed name's answer holding it is fresh, it is open, whatever other name the guest uses.
 */
public final class Egress implements DnsRelay.Hook {
    private static final Logger log = LoggerFactory.getLogger(Egress.class);
    private static final long MIN_TTL = 60;

    private final HostCommands host;
    private final EgressAudit audit;
    private final Map<String, EgressPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, SandboxNetworks.Lease> leases = new ConcurrentHashMap<>();
    /** Per sandbox: address → (name, expiry) of the answers relayed to it. */
    private final Map<String, Map<String, Resolved>> resolved = new ConcurrentHashMap<>();

    private record Resolved(String name, long expiresAtMillis) {}

    Egress(HostCommands host, EgressAudit audit) {
        this.host = host;
        this.audit = audit;
    }

    public EgressPolicy policy(String id) {
        return policies.getOrDefault(id, EgressPolicy.OPEN);
    }

    /** Sets sandbox {@code id}'s policy; applied at once when its namespace exists. */
    public void set(String id, EgressPolicy policy) {
        policies.put(id, policy);
        SandboxNetworks.Lease lease = leases.get(id);
        if (lease != null) {
            apply(id, lease);
        }
    }

    /** The name the sandbox last resolved to {@code address} (for the audit log). */
    public Optional<String> domainOf(String id, String address) {
        Resolved r = resolved.getOrDefault(id, Map.of()).get(address);
        return r == null ? Optional.empty() : Optional.of(r.name());
    }

    /** The table for the namespace of {@code id} (called when it is built). */
    String ruleset(String id, SandboxNetworks.Lease lease) {
        leases.put(id, lease);
        return NetnsRules.ruleset(lease.hostAddress(), policy(id), SandboxNetworks.auditKey(lease));
    }

    /** Sandbox {@code id}'s namespace is gone for good (destroy); its policy goes too. */
    void forget(String id) {
        leases.remove(id);
        policies.remove(id);
        resolved.remove(id);
    }

    /** Its namespace was removed (engine close); the policy stays for a later build. */
    void detached(String id) {
        leases.remove(id);
    }

    private void apply(String id, SandboxNetworks.Lease lease) {
        StringBuilder input = new StringBuilder(ruleset(id, lease));
        long now = System.currentTimeMillis();
        Map<String, List<String>> byName = new java.util.HashMap<>();
        resolved.getOrDefault(id, Map.of()).forEach((address, r) -> {
            if (r.expiresAtMillis() > now) {
                byName.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(address);
            }
        });
        byName.forEach((name, addresses) -> input.append(elements(policy(id), name, addresses, MIN_TTL)));
        host.feed("egress policy of " + id, input.toString(), inside(lease, "nft -f -"));
        log.info("event=egress_policy_applied sandbox={} allow_out={} deny_out={} block_all={}", id,
                policy(id).allowTexts(), policy(id).denyTexts(), policy(id).blockAll());
    }

    @Override
    public boolean allow(String sandbox, DnsMessage.Question question) {
        boolean allowed = policy(sandbox).resolves(question.name());
        if (!allowed) {
            audit.emit(new EgressAudit.Event(sandbox, java.time.Instant.now(), "dns", "", 53, question.name(), false));
        }
        return allowed;
    }

    @Override
    public void answered(String sandbox, DnsMessage.Question question, List<DnsMessage.Address> addresses) {
        audit.emit(new EgressAudit.Event(sandbox, java.time.Instant.now(), "dns",
                addresses.isEmpty() ? "" : addresses.getFirst().address().getHostAddress(), 53, question.name(), true));
        if (addresses.isEmpty()) {
            return;
        }
        long ttl = Math.max(MIN_TTL, addresses.stream().mapToLong(DnsMessage.Address::ttlSeconds).min().orElse(MIN_TTL));
        Map<String, Resolved> mine = resolved.computeIfAbsent(sandbox, s -> new ConcurrentHashMap<>());
        List<String> ips = new ArrayList<>();
        for (DnsMessage.Address a : addresses) {
            String ip = a.address().getHostAddress();
            ips.add(ip);
            mine.put(ip, new Resolved(question.name(), System.currentTimeMillis() + ttl * 1000));
        }
        String input = elements(policy(sandbox), question.name(), ips, ttl);
        SandboxNetworks.Lease lease = leases.get(sandbox);
        if (!input.isEmpty() && lease != null) {
            host.feed("egress addresses of " + question.name(), input, inside(lease, "nft -f -"));
        }
    }

    /** The set elements a domain's addresses get under {@code policy}: allow and deny rules that cover the name. */
    private static String elements(EgressPolicy policy, String name, List<String> addresses, long ttl) {
        StringBuilder out = new StringBuilder();
        for (EgressPolicy.Domain d : policy.allowedDomains(name)) {
            out.append(NetnsRules.addResolved("allow", addresses, d.port(), ttl));
        }
        for (EgressPolicy.Domain d : policy.deniedDomains(name)) {
            out.append(NetnsRules.addResolved("deny", addresses, d.port(), ttl));
        }
        return out.toString();
    }

    private static List<String> inside(SandboxNetworks.Lease lease, String command) {
        List<String> c = new ArrayList<>(SandboxNetworks.enter(lease.netns()));
        c.addAll(List.of("sh", "-c", command));
        return c;
    }
}
