package dev.bhatti.server.store;

/** A volume attached to a sandbox at {@code mount}. */
public record Attachment(String userId, String volumeName, String sandboxId, String mount, boolean readOnly) {

    public Attachment {
        Check.text(userId, "user id");
        Check.text(volumeName, "volume name");
        Check.text(sandboxId, "sandbox id");
        Check.text(mount, "mount");
        if (!mount.startsWith("/")) {
            throw new IllegalArgumentException("mount must be an absolute path, got " + mount);
        }
    }
}
