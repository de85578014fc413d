package dev.bhatti.server.secrets;

/** Failures of the secret box; to an API caller each is an internal error. */
public sealed class SecretBoxException extends RuntimeException {
    private SecretBoxException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The identity file cannot be created, read or parsed. */
    public static final class KeyFileUnusable extends SecretBoxException {
        public KeyFileUnusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A ciphertext cannot be decrypted with this box's identity (other key, or damaged data). */
    public static final class Undecryptable extends SecretBoxException {
        public Undecryptable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
