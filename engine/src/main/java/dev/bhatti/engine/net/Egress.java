package dev.bhatti.engine.net;

import dev.bhatti.engine.net.dns.DnsMessage;
import dev.bhatti.engine.net.dns.DnsRelay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress policies of an engine's sandboxes, and what enforces them: each sandbox's table
 * ({@link Target}: the namespace's in netns mode, one per sandbox in bridge mode) and, for domain
 * rules, the relay's answers, whose addresses go into the table's {@code *_dns} sets (for the
 * answer's TTL, at least 60 s) before the answer reaches the guest. A policy may be set before the
 * sandbox exists (the create's own policy is in place before its guest runs) and is replaced
 * live: the table is rebuilt and the addresses still fresh from earlier answers are put back under
 * the new policy. Connections already open stay open. An address that several names share is
 * decided by address: while any allowed name's answer holding it is fresh, it is open, whatever
 * other name the guest uses.
 */
public final class Egress implements DnsRelay.Hook {
    private static final Logger log = LoggerFactory.getLogger(Egress.class);
    private static final long MIN_TTL = 60;

    /**
     * Where a sandbox's policy is enforced: table {@code table}, built by {@code ruleset} for a
     * policy and fed to {@code nft} ({@code command}, run by {@code host}); its log lines carry {@code auditKey}.
     */
    public record Target(String table, String auditKey, Function<EgressPolicy, String> ruleset, HostCommands host,
                         List<String> command) {}

    private final EgressAudit audit;
    private final Map<String, EgressPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** Per sandbox: address → (name, expiry) of the answers relayed to it. */
    private final Map<String, Map<String, Resolved>> resolved = new ConcurrentHashMap<>();

    private record Resolved(String name, long expiresAtMillis) {}

    public Egress(EgressAudit audit) {
        this.audit = audit;
    }

    public EgressPolicy policy(String id) {
        return policies.getOrDefault(id, EgressPolicy.OPEN);
    }

    /** Sets sandbox {@code id}'s policy; applied at once when its table exists. */
    public void set(String id, EgressPolicy policy) {
        policies.put(id, policy);
        Target target = targets.get(id);
        if (target != null) {
            apply(id, target);
        }
    }

    /** The name the sandbox last resolved to {@code address} (for the audit log). */
    public Optional<String> domainOf(String id, String address) {
        Resolved r = resolved.getOrDefault(id, Map.of()).get(address);
        return r == null ? Optional.empty() : Optional.of(r.name());
    }

    /** Sandbox {@code id}'s table is {@code target}; answers the table for its policy now (the caller applies it). */
    String attach(String id, Target target) {
        targets.put(id, target);
        audit.track(target.auditKey(), id);
        return target.ruleset().apply(policy(id));
    }

    /** Sandbox {@code id}'s table is {@code target}, and is applied now. */
    public void attachAndApply(String id, Target target) {
        attach(id, target);
        apply(id, target);
    }

    /** Sandbox {@code id} is gone for good (destroy): its policy goes too. */
    public void forget(String id) {
        detached(id);
        policies.remove(id);
        resolved.remove(id);
    }

    /** Its table went (engine close, or its network was removed); the policy stays for the next one. */
    public void detached(String id) {
        Target t = targets.remove(id);
        if (t != null) {
            audit.untrack(t.auditKey());
        }
    }

    private void apply(String id, Target target) {
        EgressPolicy policy = policy(id);
        StringBuilder input = new StringBuilder(target.ruleset().apply(policy));
        long now = System.currentTimeMillis();
        Map<String, List<String>> byName = new java.util.HashMap<>();
        resolved.getOrDefault(id, Map.of()).forEach((address, r) -> {
            if (r.expiresAtMillis() > now) {
                byName.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(address);
            }
        });
        byName.forEach((name, addresses) -> input.append(elements(target.table(), policy, name, addresses, MIN_TTL)));
        target.host().feed("egress policy of " + id, input.toString(), target.command());
        log.info("event=egress_policy_applied sandbox={} allow_out={} deny_out={} block_all={}", id,
                policy.allowTexts(), policy.denyTexts(), policy.blockAll());
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
        Target target = targets.get(sandbox);
        if (target == null) {
            return;
        }
        String input = elements(target.table(), policy(sandbox), question.name(), ips, ttl);
        if (!input.isEmpty()) {
            target.host().feed("egress addresses of " + question.name(), input, target.command());
        }
    }

    /** The set elements a domain's addresses get under {@code policy}: allow and deny rules that cover the name. */
    private static String elements(String table, EgressPolicy policy, String name, List<String> addresses, long ttl) {
        StringBuilder out = new StringBuilder();
        for (EgressPolicy.Domain d : policy.allowedDomains(name)) {
            out.append(EgressRules.addResolved(table, "allow", addresses, d.port(), ttl));
        }
        for (EgressPolicy.Domain d : policy.deniedDomains(name)) {
            out.append(EgressRules.addResolved(table, "deny", addresses, d.port(), ttl));
        }
        return out.toString();
    }
}
