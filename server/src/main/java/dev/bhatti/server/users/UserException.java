package dev.bhatti.server.users;

import dev.bhatti.api.ErrorCode;

/** Failures of user management, each with its {@link ErrorCode}. Store conflicts come as StoreException. */
public sealed class UserException extends RuntimeException {
    private final ErrorCode code;

    private UserException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** No user with that name. */
    public static final class NotFound extends UserException {
        public NotFound(String name) {
            super(ErrorCode.USER_NOT_FOUND, "user " + name + " not found");
        }
    }

    /** The name breaks the naming rule. */
    public static final class InvalidName extends UserException {
        public InvalidName(String name) {
            super(ErrorCode.INVALID_NAME, "invalid user name '" + name + "': use 1-63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }
}
