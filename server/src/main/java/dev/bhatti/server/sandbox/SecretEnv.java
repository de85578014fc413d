package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.secrets.SecretBox;
import dev.bhatti.server.store.SecretRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decrypts the named secrets of a user into environment variables (name = variable). */
public final class SecretEnv {
    private final Store store;
    private final SecretBox box;

    public SecretEnv(Store store, SecretBox box) {
        this.store = store;
        this.box = box;
    }

    /** {@code env} plus the secrets; an unknown secret is a 400 naming it. Secrets win over plain env. */
    Map<String, String> env(User user, Map<String, String> env, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>(env);
        for (String name : names) {
            SecretRow row = store.secret(user.id(), name).orElseThrow(() -> new ApiException(ErrorCode.SECRET_NOT_FOUND,
                    "secret " + name + " not found"));
            out.put(name, box.open(row.ciphertext()));
        }
        return out;
    }
}
