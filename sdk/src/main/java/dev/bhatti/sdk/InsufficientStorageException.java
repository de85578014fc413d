package dev.bhatti.sdk;

/** 507: the daemon's host has too little free disk. */
public final class InsufficientStorageException extends BhattiException {
    /** See {@link BhattiException#BhattiException(int, String, String)}. */
    public InsufficientStorageException(int status, String rawCode, String message) {
        super(status, rawCode, message);
    }
}
