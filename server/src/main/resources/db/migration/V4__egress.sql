-- Egress (decision 0024). The policy of a sandbox, a template or a checkpoint, keyed by its id,
-- as the API's JSON ({"allow_out": [...], "deny_out": [...], "block_all": false}); no row: open.
CREATE TABLE egress_policies (
    owner_id TEXT PRIMARY KEY,
    policy TEXT NOT NULL
);

-- Every outbound connection attempt of a sandbox's guest, and every name it asked the relay for.
-- Bounded per sandbox by count and age; removed with the sandbox.
CREATE TABLE egress_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sandbox_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    protocol TEXT NOT NULL,
    address TEXT NOT NULL,
    port INTEGER,
    domain TEXT,
    allowed INTEGER NOT NULL
);

CREATE INDEX egress_log_by_sandbox ON egress_log (sandbox_id, at_ms);
