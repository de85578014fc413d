package dev.bhatti.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.proto.Json;
import dev.bhatti.server.secrets.SecretBox;
import dev.bhatti.server.secrets.SecretBoxException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent token inside a sandbox's stored VM state is sealed with the daemon's age key: the
 * stored JSON has {@code token_sealed} (base64 of an age file) where the engine's JSON has
 * {@code token}, so a copy of {@code state.db} alone cannot talk to any sandbox's agent. Everything
 * else in the JSON is kept as it is, in its order; JSON without a token passes through unchanged.
 * Sealed and opened tokens are remembered, so updates do not re-encrypt and reads do not decrypt
 * again.
 */
final class TokenSeal {
    private static final Logger log = LoggerFactory.getLogger(TokenSeal.class);
    static final String PLAIN = "token";
    static final String SEALED = "token_sealed";
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final int REMEMBERED = 4096;

    private final SecretBox box;
    private final Map<String, String> sealedByToken = new ConcurrentHashMap<>();
    private final Map<String, String> tokenBySealed = new ConcurrentHashMap<>();
    private final Map<String, String> openedByStored = new ConcurrentHashMap<>();

    TokenSeal(SecretBox box) {
        this.box = Objects.requireNonNull(box, "secret box is required");
    }

    /** The JSON to store: {@code token} replaced by {@code token_sealed}. */
    String seal(String vmState) {
        LinkedHashMap<String, Object> m = parse(vmState);
        if (m == null || !(m.get(PLAIN) instanceof String token)) {
            return vmState;
        }
        return write(replace(m, PLAIN, SEALED, sealed(token)));
    }

    /**
     * The JSON the engine wrote: {@code token_sealed} opened back into {@code token}. Remembered by
     * the stored text, so listing a thousand sandboxes does not parse and write a thousand JSON
     * documents again (decision 0027).
     */
    String open(String sandboxId, String stored) {
        if (stored == null) {
            return null;
        }
        String known = openedByStored.get(stored);
        if (known != null) {
            return known;
        }
        String opened = openFresh(sandboxId, stored);
        if (opened != stored) {
            forgetIfFull();
            openedByStored.put(stored, opened);
        }
        return opened;
    }

    private String openFresh(String sandboxId, String stored) {
        LinkedHashMap<String, Object> m = parse(stored);
        if (m == null || !(m.get(SEALED) instanceof String sealed)) {
            return stored;
        }
        try {
            return write(replace(m, SEALED, PLAIN, token(sealed)));
        } catch (SecretBoxException | IllegalArgumentException e) {
            log.warn("event=agent_token_unreadable sandbox={} reason=\"sealed with another age key, or damaged\"",
                    sandboxId);
            return stored;
        }
    }

    /** True when {@code stored} still holds a plaintext token (written by an older daemon). */
    boolean plaintext(String stored) {
        LinkedHashMap<String, Object> m = parse(stored);
        return m != null && m.get(PLAIN) instanceof String;
    }

    private String sealed(String token) {
        forgetIfFull();
        return sealedByToken.computeIfAbsent(token, t -> {
            String s = Base64.getEncoder().encodeToString(box.seal(t));
            tokenBySealed.put(s, t);
            return s;
        });
    }

    private String token(String sealed) {
        forgetIfFull();
        return tokenBySealed.computeIfAbsent(sealed, s -> box.open(Base64.getDecoder().decode(s)));
    }

    private void forgetIfFull() {
        if (sealedByToken.size() > REMEMBERED || tokenBySealed.size() > REMEMBERED || openedByStored.size() > REMEMBERED) {
            sealedByToken.clear();
            tokenBySealed.clear();
            openedByStored.clear();
        }
    }

    private static LinkedHashMap<String, Object> replace(Map<String, Object> m, String from, String to, String value) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.equals(from)) {
                out.put(to, value);
            } else if (!k.equals(to)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The JSON object, or null when the text is not one (stored as it is; recovery reports it). */
    private static LinkedHashMap<String, Object> parse(String text) {
        if (text == null || !text.contains("\"" + PLAIN)) {
            return null;
        }
        try {
            return Json.mapper().readValue(text, MAP);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(Map<String, Object> m) {
        try {
            return Json.mapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode a VM state as JSON", e);
        }
    }
}
