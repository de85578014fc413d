package dev.bhatti.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Connections and transactions. Each operation borrows a connection from a small idle pool (an
 * open with its PRAGMAs costs about a millisecond, which every API request would pay for its auth
 * lookup); with WAL, a busy timeout and {@code BEGIN IMMEDIATE} write transactions, concurrent
 * writers wait for each other instead of failing with SQLITE_BUSY. {@code secure_delete} zeroes what
 * an update or delete frees, so replaced values (a plaintext token sealed) do not linger in free
 * space; {@link #checkpoint} empties the WAL. A connection that saw an error
 * is closed, not reused. Every JDBC failure leaves here as a {@link StoreException} naming the
 * operation.
 */
final class Db {

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Sets parameters on a prepared statement. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final int IDLE = 8;

    private final String url;
    private final Properties properties;
    private final ArrayBlockingQueue<Connection> idle = new ArrayBlockingQueue<>(IDLE);

    Db(String url) {
        this.url = url;
        this.properties = new Properties();
        properties.setProperty("journal_mode", "WAL");
        properties.setProperty("busy_timeout", "5000");
        properties.setProperty("foreign_keys", "true");
        properties.setProperty("transaction_mode", "IMMEDIATE");
        properties.setProperty("secure_delete", "true");
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    <T> T read(String operation, Work<T> work) {
        return withConnection(operation, work);
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T write(String operation, Work<T> work) {
        return withConnection(operation, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private <T> T withConnection(String operation, Work<T> work) {
        Connection c = null;
        try {
            c = borrow();
            T result = work.run(c);
            giveBack(c);
            return result;
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw new StoreException.Failed(operation, e);
        } catch (RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = idle.poll();
        return c != null ? c : DriverManager.getConnection(url, properties);
    }

    private void giveBack(Connection c) throws SQLException {
        if (!idle.offer(c)) {
            c.close();
        }
    }

    private static void closeQuietly(Connection c, Exception cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Copies the WAL into the database and truncates it (nothing older than the last write stays on disk). */
    void checkpoint(String operation) {
        read(operation, c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
    }

    /** Closes the idle connections. */
    void close() {
        for (Connection c = idle.poll(); c != null; c = idle.poll()) {
            try {
                c.close();
            } catch (SQLException e) {
                throw new StoreException.Failed("close", e);
            }
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        List<T> rows = query(c, sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    static long count(Connection c, String sql, Binder binder) throws SQLException {
        return one(c, sql, binder, rs -> rs.getLong(1)).orElse(0L);
    }

    /** True when {@code e} reports a unique or primary-key violation (SQLite codes or SQLSTATE 23505). */
    static boolean uniqueViolation(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return "23505".equals(e.getSQLState());
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, nanos(t));
        }
    }

    static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : instant(v);
    }

    static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static Integer integerOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
