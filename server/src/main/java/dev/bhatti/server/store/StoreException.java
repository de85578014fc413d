package dev.bhatti.server.store;

/**
 * Every store failure, with a stable {@link #code()} for callers to branch on (the HTTP layer maps
 * codes to statuses in one place). Messages say what was attempted on which row.
 */
public sealed class StoreException extends RuntimeException {
    private final String code;

    private StoreException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable code: {@code name_conflict}, {@code alias_conflict}, {@code user_has_sandboxes}, ... */
    public String code() {
        return code;
    }

    /** A name that must be unique (per user, or globally for users) is taken. */
    public static final class NameConflict extends StoreException {
        public NameConflict(String what, String name) {
            super("name_conflict", what + " name " + name + " is already in use", null);
        }
    }

    /** A publish alias is taken (aliases are unique across all users). */
    public static final class AliasConflict extends StoreException {
        public AliasConflict(String alias) {
            super("alias_conflict", "alias " + alias + " is already in use", null);
        }
    }

    /** A user cannot be deleted while it still has sandboxes that are not destroyed. */
    public static final class UserHasSandboxes extends StoreException {
        public UserHasSandboxes(String userId, int count) {
            super("user_has_sandboxes", "user " + userId + " still has " + count + " sandbox(es)", null);
        }
    }

    /** A volume cannot be deleted, or attached that way, because of its current attachments. */
    public static final class VolumeAttached extends StoreException {
        public VolumeAttached(String volume, String detail) {
            super("volume_attached", "volume " + volume + " " + detail, null);
        }
    }

    /** The database failed; the message names the operation. */
    public static final class Failed extends StoreException {
        public Failed(String operation, Throwable cause) {
            super("store_failed", "store: " + operation + " failed: " + cause.getMessage(), cause);
        }
    }
}
