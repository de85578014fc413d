package dev.bhatti.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's persistent state: users, sandboxes, templates, secrets, volumes, publish rules and VM
 * state for recovery. The only code in the project that writes SQL lives behind this interface.
 *
 * <p>User-scoped operations take the user's id; a row belonging to another user is simply not
 * found ({@link Optional#empty()}, {@code false}, or absent from a list). Conflicts and refusals
 * throw {@link StoreException} with a stable code; database failures throw
 * {@link StoreException.Failed} naming the operation. Implementations are safe for concurrent use.
 */
public interface Store extends AutoCloseable {

    // ---- users ----

    /** Inserts the user; {@code name_conflict} when the name is taken. */
    User createUser(User user);

    Optional<User> userByName(String name);

    Optional<User> userById(String id);

    /** The user whose key hash equals {@code keyHash}, compared in constant time. */
    Optional<User> userByKeyHash(String keyHash);

    /** Every user, by name. */
    List<User> users();

    /** Replaces the user's key hash; false when there is no such user. */
    boolean setUserKeyHash(String userId, String keyHash);

    /**
     * Deletes the user with its templates, secrets and volumes; {@code user_has_sandboxes} while it
     * has sandboxes that are not destroyed. False when there is no such user.
     */
    boolean deleteUser(String userId);

    // ---- sandboxes ----

    /** Inserts the sandbox; {@code name_conflict} when the user has a live sandbox of that name. */
    SandboxRow insertSandbox(SandboxRow row);

    /** The user's live (not destroyed) sandbox with that id, or else that name. */
    Optional<SandboxRow> sandbox(String userId, String idOrName);

    /** Any sandbox by id, whatever its user and status (for recovery). */
    Optional<SandboxRow> sandboxById(String id);

    /** The user's live sandboxes carrying every label of {@code labelFilter}, newest first. */
    List<SandboxRow> sandboxes(String userId, Map<String, String> labelFilter);

    /** Every sandbox of every user, destroyed ones included, newest first (for recovery). */
    List<SandboxRow> allSandboxes();

    /** How many live sandboxes the user has. */
    int countSandboxes(String userId);

    /**
     * Stores every mutable column of {@code row} (all but id, user and created_at) for the row with
     * that id and user; {@code name_conflict} on a rename to a taken name. False when not found.
     */
    boolean updateSandbox(SandboxRow row);

    /** Removes the row with its attachments and publish rules; false when not found. */
    boolean deleteSandbox(String id);

    // ---- templates ----

    /** Inserts the template; {@code name_conflict} when the user has one of that name. */
    TemplateRow insertTemplate(TemplateRow row);

    /** The user's templates, newest first. */
    List<TemplateRow> templates(String userId);

    Optional<TemplateRow> template(String userId, String idOrName);

    boolean deleteTemplate(String userId, String idOrName);

    // ---- secrets ----

    /**
     * Inserts the secret, or replaces its ciphertext and updated_at keeping the stored created_at;
     * returns the row as stored.
     */
    SecretRow upsertSecret(SecretRow row);

    /** The user's secrets, by name. */
    List<SecretRow> secrets(String userId);

    Optional<SecretRow> secret(String userId, String name);

    boolean deleteSecret(String userId, String name);

    // ---- volumes ----

    /** Inserts the volume; {@code name_conflict} when the user has one of that name. */
    VolumeRow insertVolume(VolumeRow row);

    /** The user's volumes, by name. */
    List<VolumeRow> volumes(String userId);

    Optional<VolumeRow> volume(String userId, String name);

    /** Deletes the volume; {@code volume_attached} while it is attached. False when not found. */
    boolean deleteVolume(String userId, String name);

    /** Total size of the user's volumes in MB. */
    long sumVolumeSizeMb(String userId);

    /**
     * Records the storage a sandbox holds against its user's quota (root disk and ephemeral volumes,
     * MB); it is released with the sandbox's row.
     */
    void setSandboxStorage(String sandboxId, long storageMb);

    /** The egress policy (the API's JSON) of a sandbox, template or checkpoint id; empty: open (decision 0024). */
    Optional<String> egressPolicy(String ownerId);

    /** Stores {@code json} as the owner's egress policy; null removes it. */
    void setEgressPolicy(String ownerId, String json);

    /** Appends egress records (the audit log). */
    void appendEgress(List<EgressRecord> records);

    /** A sandbox's egress records at or after {@code since}, newest first, at most {@code limit}. */
    List<EgressRecord> egressLog(String sandboxId, java.time.Instant since, int limit);

    /** Keeps a sandbox's newest {@code keep} egress records and none before {@code before}; answers how many went. */
    int pruneEgress(String sandboxId, int keep, java.time.Instant before);

    /** Removes a sandbox's egress records (destroy). */
    void deleteEgressLog(String sandboxId);

    /** The storage recorded for a sandbox by {@link #setSandboxStorage}, MB; 0 when none is. */
    long sandboxStorageMb(String sandboxId);

    /** The user's storage in use, MB: persistent volumes plus what live sandboxes hold (decision 0016). */
    long storageUsedMb(String userId);

    /**
     * Records an attachment; {@code volume_attached} when the attach rules forbid it (read-write
     * needs no other attachment, read-only needs no read-write one). False when the user has no
     * such volume.
     */
    boolean attach(Attachment attachment);

    /** Removes every attachment of the sandbox. */
    void detachAll(String sandboxId);

    List<Attachment> attachments(String userId, String volumeName);

    // ---- publish rules ----

    /**
     * Inserts the rule and returns it, or returns the existing rule for the same sandbox and port;
     * {@code alias_conflict} when the alias is taken by any user.
     */
    PublishRow insertPublish(PublishRow row);

    /** The user's rules for the sandbox, by port. */
    List<PublishRow> publishRules(String userId, String sandboxId);

    /** The rule for a public alias, whatever its user (public traffic has no user). */
    Optional<PublishRow> publishByAlias(String alias);

    boolean deletePublish(String userId, String sandboxId, int port);

    /** Records a complete checkpoint; a taken name in its sandbox is a {@link StoreException.NameConflict}. */
    CheckpointRow insertCheckpoint(CheckpointRow row);

    /** The user's checkpoints of a sandbox, oldest first. */
    List<CheckpointRow> checkpoints(String userId, String sandboxId);

    /** The user's checkpoint by id, or by name within {@code sandboxId} (null: by id only). */
    Optional<CheckpointRow> checkpoint(String userId, String sandboxId, String idOrName);

    /** Every checkpoint row (start-up reconciles them with the engine's files). */
    List<CheckpointRow> allCheckpoints();

    boolean deleteCheckpoint(String id);

    /** Schema version in force. */
    int schemaVersion();

    @Override
    void close();
}
