package dev.bhatti.server.users;

/** Failures of user management, with stable codes. Store conflicts come as StoreException. */
public sealed class UserException extends RuntimeException {
    private final String code;

    private UserException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** No user with that name. */
    public static final class NotFound extends UserException {
        public NotFound(String name) {
            super("user_not_found", "user " + name + " not found");
        }
    }

    /** The name breaks the naming rule. */
    public static final class InvalidName extends UserException {
        public InvalidName(String name) {
            super("invalid_name", "invalid user name '" + name + "': use 1-63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }
}
