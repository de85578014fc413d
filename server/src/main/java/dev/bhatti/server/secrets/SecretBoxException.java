package dev.bhatti.server.secrets;

/** Failures of the secret box, with stable codes. */
public sealed class SecretBoxException extends RuntimeException {
    private final String code;

    private SecretBoxException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The identity file cannot be created, read or parsed. */
    public static final class KeyFileUnusable extends SecretBoxException {
        public KeyFileUnusable(String message, Throwable cause) {
            super("secret_key_unusable", message, cause);
        }
    }

    /** A ciphertext cannot be decrypted with this box's identity (other key, or damaged data). */
    public static final class Undecryptable extends SecretBoxException {
        public Undecryptable(String message, Throwable cause) {
            super("secret_undecryptable", message, cause);
        }
    }
}
