package dev.bhatti.sdk;

import dev.bhatti.api.model.SecretRequest;
import dev.bhatti.api.model.SecretView;
import dev.bhatti.sdk.internal.Codec;
import java.util.List;

/** The caller's secrets (values are write-only: listed by name, exported into sandboxes that name them). */
public final class Secrets {
    private final Transport transport;

    Secrets(Transport transport) {
        this.transport = transport;
    }

    /** Creates or replaces the secret {@code name}. */
    public void set(String name, String value) {
        transport.json("POST", "/secrets", new SecretRequest(name, value));
    }

    /** The secrets, without values. */
    public List<SecretView> list() {
        return Codec.list(transport.json("GET", "/secrets", null), SecretView.class);
    }

    /** Deletes the secret {@code name}. */
    public void delete(String name) {
        transport.json("DELETE", "/secrets/" + Transport.encode(name), null);
    }
}
