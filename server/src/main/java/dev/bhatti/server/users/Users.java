package dev.bhatti.server.users;

import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * User management: create, rotate keys, list, delete, and resolve an API key to its user. A key is
 * returned in plaintext exactly once, when created or rotated; only its hash is stored.
 */
public final class Users {
    /** The user the daemon's first start makes; its key alone reads {@code GET /metrics}. */
    public static final String ADMIN = "admin";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$");

    /** A user together with its plaintext API key, which is not retrievable later. */
    public record Created(User user, String apiKey) {
        public Created {
            Objects.requireNonNull(user, "user is required");
            if (!ApiKeys.looksValid(apiKey)) {
                throw new IllegalArgumentException("api key has the wrong format");
            }
        }

        @Override
        public String toString() {
            return "Created[user=" + user + ", apiKey=<redacted>]";
        }
    }

    private final Store store;
    private final ApiKeys keys;
    private final Clock clock;

    public Users(Store store, ApiKeys keys, Clock clock) {
        this.store = Objects.requireNonNull(store, "store is required");
        this.keys = Objects.requireNonNull(keys, "keys are required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
    }

    /** True when {@code name} follows the user naming rule. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Creates the user; {@code name_conflict} (StoreException) when the name is taken. */
    public Created create(String name, Limits limits) {
        if (!validName(name)) {
            throw new UserException.InvalidName(name);
        }
        String key = keys.generate();
        User user = new User(newId(), name, ApiKeys.hash(key), Objects.requireNonNull(limits, "limits are required"),
                clock.instant());
        return new Created(store.createUser(user), key);
    }

    /** Replaces the user's key; the old key stops working at once. Returns the new key. */
    public String rotate(String name) {
        User user = find(name);
        String key = keys.generate();
        if (!store.setUserKeyHash(user.id(), ApiKeys.hash(key))) {
            throw new UserException.NotFound(name);
        }
        return key;
    }

    public List<User> list() {
        return store.users();
    }

    /** Deletes the user; refused ({@code user_has_sandboxes}) while it has sandboxes. */
    public void delete(String name) {
        User user = find(name);
        if (!store.deleteUser(user.id())) {
            throw new UserException.NotFound(name);
        }
    }

    /** The user owning {@code apiKey}, if the key is well formed and known. */
    public Optional<User> authenticate(String apiKey) {
        if (!ApiKeys.looksValid(apiKey)) {
            return Optional.empty();
        }
        return store.userByKeyHash(ApiKeys.hash(apiKey));
    }

    private User find(String name) {
        return store.userByName(name).orElseThrow(() -> new UserException.NotFound(name));
    }

    private static String newId() {
        UUID u = UUID.randomUUID();
        return "usr_" + HexFormat.of().toHexDigits(u.getMostSignificantBits());
    }
}
