package dev.bhatti.server.egress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.model.NetworkPolicy;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.net.EgressPolicy;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Egress policies (decision 0024) as the API has them: checked, stored per sandbox, template and
 * checkpoint, and handed to the engine, which enforces them. A sandbox's policy is its create's,
 * else its template's; a fork's children and a checkpoint's sandboxes take their source's; a
 * {@code PATCH} replaces it live. The engine has every stored policy again before recovery.
 */
public final class EgressPolicies {
    private static final Logger log = LoggerFactory.getLogger(EgressPolicies.class);
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Store store;
    private final Engine engine;
    /** The stored policies read so far (every sandbox view shows one): the daemon is the store's only writer. */
    private final java.util.Map<String, NetworkPolicy> known = new java.util.concurrent.ConcurrentHashMap<>();

    public EgressPolicies(Store store, Engine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** The engine's form of {@code body}; 400 {@code invalid_network_policy} naming the bad entry. */
    public static EgressPolicy parse(NetworkPolicy body) {
        try {
            return EgressPolicy.parse(body.allowOut(), body.denyOut(), body.blockAll());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_NETWORK_POLICY, "network." + e.getMessage());
        }
    }

    /** The policy stored for a sandbox, template or checkpoint id: the open one when none is. */
    public NetworkPolicy of(String ownerId) {
        return known.computeIfAbsent(ownerId, id -> store.egressPolicy(id).map(EgressPolicies::decode)
                .orElse(NetworkPolicy.open()));
    }

    /** Normalizes {@code body} (entries as the engine writes them back), or null for null. */
    public static NetworkPolicy normalized(NetworkPolicy body) {
        if (body == null) {
            return null;
        }
        EgressPolicy p = parse(body);
        return new NetworkPolicy(p.allowTexts(), p.denyTexts(), p.blockAll());
    }

    /**
     * Gives sandbox {@code id} the policy {@code body} (null: open) in the engine (live when it runs,
     * before its create otherwise) and stores it; 409 {@code network_policy_unsupported} where the
     * network mode cannot enforce it.
     */
    public void apply(String id, NetworkPolicy body) {
        NetworkPolicy p = body == null ? NetworkPolicy.open() : normalized(body);
        try {
            engine.egress(id, parse(p));
        } catch (EngineException.InvalidSpec e) {
            throw new ApiException(ErrorCode.NETWORK_POLICY_UNSUPPORTED, "network: " + e.getMessage());
        }
        store(id, p);
    }

    /** Stores {@code body} for a sandbox, template or checkpoint id (the open policy stores nothing). */
    public void store(String ownerId, NetworkPolicy body) {
        boolean open = body == null || body.equals(NetworkPolicy.open());
        store.setEgressPolicy(ownerId, open ? null : encode(body));
        known.put(ownerId, open ? NetworkPolicy.open() : body);
    }

    /** Forgets an owner's policy (destroy, delete). */
    public void forget(String ownerId) {
        store.setEgressPolicy(ownerId, null);
        known.remove(ownerId);
    }

    /** Start-up, before recovery: the engine gets every live sandbox's stored policy back. */
    public void restore(List<SandboxRow> rows) {
        for (SandboxRow row : rows) {
            store.egressPolicy(row.id()).ifPresent(json -> {
                try {
                    engine.egress(row.id(), parse(decode(json)));
                } catch (RuntimeException e) {
                    log.error("event=egress_policy_restore_failed sandbox={} error=\"{}\"", row.id(), e.getMessage());
                }
            });
        }
    }

    private static String encode(NetworkPolicy p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a network policy is always JSON", e);
        }
    }

    private static NetworkPolicy decode(String json) {
        try {
            return JSON.readValue(json, NetworkPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored network policy is not JSON: " + e.getMessage(), e);
        }
    }
}
