-- Initial schema. Times are epoch nanoseconds (BIGINT); booleans are 0/1 INTEGERs; label, env and
-- secret-name collections are JSON text. Statements end with a semicolon at the end of a line.

CREATE TABLE users (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    key_hash              TEXT NOT NULL UNIQUE,
    max_sandboxes         INTEGER NOT NULL,
    max_cpus              INTEGER NOT NULL,
    max_memory_mb         INTEGER NOT NULL,
    max_volume_storage_mb INTEGER NOT NULL,
    created_at            BIGINT NOT NULL
);

CREATE TABLE sandboxes (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    cpus         INTEGER NOT NULL,
    memory_mb    INTEGER NOT NULL,
    disk_size_mb INTEGER,
    image        TEXT,
    template_id  TEXT,
    keep_hot     INTEGER NOT NULL,
    labels       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    stopped_at   BIGINT,
    vm_state     TEXT
);

-- A name is free again as soon as its sandbox is destroyed.
CREATE UNIQUE INDEX sandboxes_live_name ON sandboxes (user_id, name) WHERE status <> 'destroyed';

CREATE INDEX sandboxes_by_user ON sandboxes (user_id, created_at);

CREATE TABLE templates (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    image      TEXT,
    cpus       INTEGER,
    memory_mb  INTEGER,
    env        TEXT NOT NULL,
    init       TEXT,
    secrets    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE secrets (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    ciphertext BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, name)
);

CREATE TABLE volumes (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    size_mb    INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, name)
);

CREATE TABLE attachments (
    user_id     TEXT NOT NULL,
    volume_name TEXT NOT NULL,
    sandbox_id  TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
    mount       TEXT NOT NULL,
    read_only   INTEGER NOT NULL,
    PRIMARY KEY (user_id, volume_name, sandbox_id),
    FOREIGN KEY (user_id, volume_name) REFERENCES volumes(user_id, name) ON DELETE CASCADE
);

CREATE TABLE publish_rules (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
    port       INTEGER NOT NULL,
    alias      TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (sandbox_id, port)
);
