package dev.bhatti.server.store;

import dev.bhatti.api.ErrorCode;

/**
 * Every store failure, with the {@link ErrorCode} it means for an API caller (the HTTP layer turns
 * it into a status in one place). Messages say what was attempted on which row.
 */
public sealed class StoreException extends RuntimeException {
    private final ErrorCode code;

    private StoreException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The API error code this failure means for a caller ({@code internal_error} for a database failure). */
    public ErrorCode code() {
        return code;
    }

    /** A name that must be unique (per user, or globally for users) is taken. */
    public static final class NameConflict extends StoreException {
        public NameConflict(String what, String name) {
            super(ErrorCode.NAME_CONFLICT, what + " name " + name + " is already in use", null);
        }
    }

    /** A publish alias is taken (aliases are unique across all users). */
    public static final class AliasConflict extends StoreException {
        public AliasConflict(String alias) {
            super(ErrorCode.ALIAS_CONFLICT, "alias " + alias + " is already in use", null);
        }
    }

    /** A user cannot be deleted while it still has sandboxes that are not destroyed. */
    public static final class UserHasSandboxes extends StoreException {
        public UserHasSandboxes(String userId, int count) {
            super(ErrorCode.USER_HAS_SANDBOXES, "user " + userId + " still has " + count + " sandbox(es)", null);
        }
    }

    /** A volume cannot be deleted, or attached that way, because of its current attachments. */
    public static final class VolumeAttached extends StoreException {
        public VolumeAttached(String volume, String detail) {
            super(ErrorCode.VOLUME_ATTACHED, "volume " + volume + " " + detail, null);
        }
    }

    /** The database failed; the message names the operation. */
    public static final class Failed extends StoreException {
        public Failed(String operation, Throwable cause) {
            super(ErrorCode.INTERNAL_ERROR, "store: " + operation + " failed: " + cause.getMessage(), cause);
        }
    }
}
