package dev.bhatti.server.store;

import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL for the egress_policies and egress_log tables (decision 0024). */
final class EgressRows {
    private final Db db;

    EgressRows(Db db) {
        this.db = db;
    }

    Optional<String> policy(String ownerId) {
        return db.read("egress policy of " + ownerId, c -> Db.one(c,
                "SELECT policy FROM egress_policies WHERE owner_id = ?", ps -> ps.setString(1, ownerId),
                rs -> rs.getString(1)));
    }

    void setPolicy(String ownerId, String json) {
        db.write("set egress policy of " + ownerId, c -> json == null
                ? Db.update(c, "DELETE FROM egress_policies WHERE owner_id = ?", ps -> ps.setString(1, ownerId))
                : Db.update(c, "INSERT INTO egress_policies (owner_id, policy) VALUES (?, ?) "
                        + "ON CONFLICT (owner_id) DO UPDATE SET policy = excluded.policy", ps -> {
                            ps.setString(1, ownerId);
                            ps.setString(2, json);
                        }));
    }

    void append(List<EgressRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        db.write("append " + records.size() + " egress records", c -> {
            for (EgressRecord r : records) {
                Db.update(c, "INSERT INTO egress_log (sandbox_id, at_ms, protocol, address, port, domain, allowed) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                            ps.setString(1, r.sandboxId());
                            ps.setLong(2, r.at().toEpochMilli());
                            ps.setString(3, r.protocol());
                            ps.setString(4, r.address());
                            if (r.port() == null) {
                                ps.setNull(5, Types.INTEGER);
                            } else {
                                ps.setInt(5, r.port());
                            }
                            ps.setString(6, r.domain());
                            ps.setInt(7, r.allowed() ? 1 : 0);
                        });
            }
            return null;
        });
    }

    /** Newest first, at or after {@code since}, at most {@code limit}. */
    List<EgressRecord> log(String sandboxId, Instant since, int limit) {
        return db.read("egress log of " + sandboxId, c -> Db.query(c,
                "SELECT sandbox_id, at_ms, protocol, address, port, domain, allowed FROM egress_log "
                        + "WHERE sandbox_id = ? AND at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT ?", ps -> {
                            ps.setString(1, sandboxId);
                            ps.setLong(2, since.toEpochMilli());
                            ps.setInt(3, limit);
                        }, rs -> {
                            int port = rs.getInt(5);
                            Integer p = rs.wasNull() ? null : port;
                            return new EgressRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                    rs.getString(4), p, rs.getString(6), rs.getInt(7) == 1);
                        }));
    }

    /** Keeps the newest {@code keep} records of the sandbox and none older than {@code before}; answers how many went. */
    int prune(String sandboxId, int keep, Instant before) {
        return db.write("prune egress log of " + sandboxId, c -> Db.update(c,
                "DELETE FROM egress_log WHERE sandbox_id = ? AND (at_ms < ? OR id NOT IN "
                        + "(SELECT id FROM egress_log WHERE sandbox_id = ? ORDER BY at_ms DESC, id DESC LIMIT ?))", ps -> {
                            ps.setString(1, sandboxId);
                            ps.setLong(2, before.toEpochMilli());
                            ps.setString(3, sandboxId);
                            ps.setInt(4, keep);
                        }));
    }

    void deleteLog(String sandboxId) {
        db.write("delete egress log of " + sandboxId, c -> Db.update(c,
                "DELETE FROM egress_log WHERE sandbox_id = ?", ps -> ps.setString(1, sandboxId)));
    }
}
