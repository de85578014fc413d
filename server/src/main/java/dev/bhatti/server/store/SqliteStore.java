package dev.bhatti.server.store;

import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.server.secrets.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on SQLite ({@code <dataDir>/state.db}, WAL, busy timeout 5 s, foreign keys on) through
 * plain JDBC. Opening applies any missing schema migration and seals agent tokens an older daemon
 * stored in plaintext. The database file is created 0600 before SQLite opens it (its WAL and
 * shared-memory files take the database's mode).
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private final Db db;
    private final UserRows users;
    private final SandboxRows sandboxes;
    private final TemplateRows templates;
    private final SecretRows secrets;
    private final VolumeRows volumes;
    private final PublishRows publish;
    private final StorageRows storage;
    private final CheckpointRows checkpoints;
    private final EgressRows egress;
    private final int schemaVersion;

    private SqliteStore(Db db, TokenSeal seal) {
        Json json = new Json();
        this.db = db;
        this.users = new UserRows(db);
        this.sandboxes = new SandboxRows(db, json, seal);
        this.templates = new TemplateRows(db, json);
        this.secrets = new SecretRows(db);
        this.volumes = new VolumeRows(db);
        this.publish = new PublishRows(db);
        this.storage = new StorageRows(db);
        this.checkpoints = new CheckpointRows(db);
        this.egress = new EgressRows(db);
        this.schemaVersion = Migrations.apply(db);
        int sealed = sandboxes.sealPlaintextTokens();
        if (sealed > 0) {
            db.checkpoint("checkpoint after sealing agent tokens");
            log.info("event=agent_tokens_sealed sandboxes={}", sealed);
        }
    }

    /**
     * Opens (creating if needed) {@code <dataDir>/state.db} and migrates it, sealing agent tokens with
     * the age key {@code <dataDir>/age.key} (created if missing). A data directory that does not exist
     * yet is created readable by its owner only.
     */
    public static SqliteStore open(Path dataDir) {
        Objects.requireNonNull(dataDir, "data dir is required");
        directory(dataDir);
        return open(dataDir, SecretBox.open(dataDir.resolve("age.key")));
    }

    /** Like {@link #open(Path)}, sealing agent tokens with {@code secrets}. */
    public static SqliteStore open(Path dataDir, SecretBox secrets) {
        Objects.requireNonNull(dataDir, "data dir is required");
        directory(dataDir);
        Path file = dataDir.resolve("state.db").toAbsolutePath();
        try {
            OwnerOnly.file(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        return new SqliteStore(new Db("jdbc:sqlite:" + file), new TokenSeal(secrets));
    }

    private static void directory(Path dataDir) {
        try {
            OwnerOnly.directories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dataDir, e);
        }
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    int schemaVersionOnDisk() {
        return Migrations.currentVersion(db);
    }

    @Override
    public User createUser(User user) {
        return users.create(user);
    }

    @Override
    public Optional<User> userByName(String name) {
        return users.byName(name);
    }

    @Override
    public Optional<User> userById(String id) {
        return users.byId(id);
    }

    @Override
    public Optional<User> userByKeyHash(String keyHash) {
        return users.byKeyHash(keyHash);
    }

    @Override
    public List<User> users() {
        return users.all();
    }

    @Override
    public boolean setUserKeyHash(String userId, String keyHash) {
        return users.setKeyHash(userId, keyHash);
    }

    @Override
    public boolean deleteUser(String userId) {
        return users.delete(userId);
    }

    @Override
    public SandboxRow insertSandbox(SandboxRow row) {
        return sandboxes.insert(row);
    }

    @Override
    public Optional<SandboxRow> sandbox(String userId, String idOrName) {
        return sandboxes.byUser(userId, idOrName);
    }

    @Override
    public Optional<SandboxRow> sandboxById(String id) {
        return sandboxes.byId(id);
    }

    @Override
    public List<SandboxRow> sandboxes(String userId, Map<String, String> labelFilter) {
        return sandboxes.list(userId, labelFilter);
    }

    @Override
    public List<SandboxRow> allSandboxes() {
        return sandboxes.all();
    }

    @Override
    public int countSandboxes(String userId) {
        return sandboxes.count(userId);
    }

    @Override
    public boolean updateSandbox(SandboxRow row) {
        return sandboxes.update(row);
    }

    @Override
    public boolean deleteSandbox(String id) {
        return sandboxes.delete(id);
    }

    @Override
    public TemplateRow insertTemplate(TemplateRow row) {
        return templates.insert(row);
    }

    @Override
    public List<TemplateRow> templates(String userId) {
        return templates.list(userId);
    }

    @Override
    public Optional<TemplateRow> template(String userId, String idOrName) {
        return templates.get(userId, idOrName);
    }

    @Override
    public boolean deleteTemplate(String userId, String idOrName) {
        return templates.delete(userId, idOrName);
    }

    @Override
    public SecretRow upsertSecret(SecretRow row) {
        return secrets.upsert(row);
    }

    @Override
    public List<SecretRow> secrets(String userId) {
        return secrets.list(userId);
    }

    @Override
    public Optional<SecretRow> secret(String userId, String name) {
        return secrets.get(userId, name);
    }

    @Override
    public boolean deleteSecret(String userId, String name) {
        return secrets.delete(userId, name);
    }

    @Override
    public VolumeRow insertVolume(VolumeRow row) {
        return volumes.insert(row);
    }

    @Override
    public List<VolumeRow> volumes(String userId) {
        return volumes.list(userId);
    }

    @Override
    public Optional<VolumeRow> volume(String userId, String name) {
        return volumes.get(userId, name);
    }

    @Override
    public boolean deleteVolume(String userId, String name) {
        return volumes.delete(userId, name);
    }

    @Override
    public long sumVolumeSizeMb(String userId) {
        return volumes.sumSizeMb(userId);
    }

    @Override
    public void setSandboxStorage(String sandboxId, long storageMb) {
        storage.set(sandboxId, storageMb);
    }

    @Override
    public Optional<String> egressPolicy(String ownerId) {
        return egress.policy(ownerId);
    }

    @Override
    public void setEgressPolicy(String ownerId, String json) {
        egress.setPolicy(ownerId, json);
    }

    @Override
    public void appendEgress(List<EgressRecord> records) {
        egress.append(records);
    }

    @Override
    public List<EgressRecord> egressLog(String sandboxId, java.time.Instant since, int limit) {
        return egress.log(sandboxId, since, limit);
    }

    @Override
    public int pruneEgress(String sandboxId, int keep, java.time.Instant before) {
        return egress.prune(sandboxId, keep, before);
    }

    @Override
    public void deleteEgressLog(String sandboxId) {
        egress.deleteLog(sandboxId);
    }

    @Override
    public long sandboxStorageMb(String sandboxId) {
        return storage.of(sandboxId);
    }

    @Override
    public long storageUsedMb(String userId) {
        return storage.usedMb(userId);
    }

    @Override
    public boolean attach(Attachment attachment) {
        return volumes.attach(attachment);
    }

    @Override
    public void detachAll(String sandboxId) {
        volumes.detachAll(sandboxId);
    }

    @Override
    public List<Attachment> attachments(String userId, String volumeName) {
        return volumes.attachments(userId, volumeName);
    }

    @Override
    public PublishRow insertPublish(PublishRow row) {
        return publish.insert(row);
    }

    @Override
    public List<PublishRow> publishRules(String userId, String sandboxId) {
        return publish.bySandbox(userId, sandboxId);
    }

    @Override
    public Optional<PublishRow> publishByAlias(String alias) {
        return publish.byAlias(alias);
    }

    @Override
    public boolean deletePublish(String userId, String sandboxId, int port) {
        return publish.delete(userId, sandboxId, port);
    }

    @Override
    public CheckpointRow insertCheckpoint(CheckpointRow row) {
        return checkpoints.insert(row);
    }

    @Override
    public List<CheckpointRow> checkpoints(String userId, String sandboxId) {
        return checkpoints.bySandbox(userId, sandboxId);
    }

    @Override
    public Optional<CheckpointRow> checkpoint(String userId, String sandboxId, String idOrName) {
        return checkpoints.find(userId, sandboxId, idOrName);
    }

    @Override
    public List<CheckpointRow> allCheckpoints() {
        return checkpoints.all();
    }

    @Override
    public boolean deleteCheckpoint(String id) {
        return checkpoints.delete(id);
    }

    /** Closes the pooled idle connections. */
    @Override
    public void close() {
        db.close();
    }
}
