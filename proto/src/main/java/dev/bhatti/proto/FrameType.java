package dev.bhatti.proto;

import java.util.Optional;

/**
 * Every frame type of the host ↔ agent protocol, with its wire byte.
 *
 * <p>Direction and payload layout are part of the contract; unknown bytes are
 * represented by {@link Frame#type()} alone and {@link #of(int)} answers empty.
 */
public enum FrameType {
    /** host→guest: raw bytes (child stdin, PTY input, file-write body); empty = EOF. */
    STDIN(0x01),
    /** guest→host: raw bytes (child stdout, file-read content, scrollback replay). */
    STDOUT(0x02),
    /** guest→host: raw bytes (piped exec stderr only). */
    STDERR(0x03),
    /** host→guest: u16 rows, u16 cols, big-endian; see {@link Payloads#resize}. */
    RESIZE(0x04),
    /** guest→host: i32 exit code, big-endian two's complement; see {@link Payloads#exit}. */
    EXIT(0x05),
    /** either direction: UTF-8 message. */
    ERROR(0x06),
    /** host→guest: empty; kill the running command. */
    KILL(0x07),
    /** host→guest: JSON {@link ExecRequest}. */
    EXEC_REQ(0x10),
    /** host→guest: raw token bytes; first frame on every connection when the sandbox has a token. */
    AUTH(0x11),
    /** host→guest: JSON {@link ForwardRequest}. */
    FWD_REQ(0x20),
    /** guest→host: JSON {@link StatusReply}. */
    FWD_RESP(0x21),
    /** host→guest: empty. */
    EXEC_LIST_REQ(0x30),
    /** guest→host: JSON array of {@link SessionInfo}. */
    EXEC_LIST_RESP(0x31),
    /** host→guest: JSON {@link ExecKillRequest}. */
    EXEC_KILL(0x32),
    /** guest→host: JSON {@link SessionInfo}; first frame of an interactive or session stream. */
    SESSION_INFO(0x33),
    /** host→guest: empty. */
    ACTIVITY_REQ(0x40),
    /** guest→host: JSON {@link ActivityInfo}. */
    ACTIVITY_RESP(0x41),
    /** host→guest: JSON {@link FileReadRequest}. */
    FILE_READ_REQ(0x50),
    /** guest→host: JSON {@link FileReadResponse}; content follows as STDOUT frames, then EXIT(0). */
    FILE_READ_RESP(0x51),
    /** host→guest: JSON {@link FileWriteRequest}; content follows as STDIN frames. */
    FILE_WRITE_REQ(0x52),
    /** guest→host: JSON {@link StatusReply}. */
    FILE_WRITE_RESP(0x53),
    /** host→guest: JSON {@link PathRequest}. */
    FILE_STAT_REQ(0x54),
    /** guest→host: JSON {@link FileInfo}. */
    FILE_STAT_RESP(0x55),
    /** host→guest: JSON {@link PathRequest}. */
    FILE_LS_REQ(0x56),
    /** guest→host: JSON array of {@link FileInfo}. */
    FILE_LS_RESP(0x57),
    /**
     * host→guest: i64 unix time in nanoseconds, big-endian ({@link Payloads#clock}); the agent sets
     * the guest's wall clock and answers EXIT(0), or ERROR. An extension to SPEC §1.2: the host sends
     * it after a warm or cold sandbox is woken, because the guest clock stood still while it slept.
     */
    CLOCK_SET(0x60),
    /**
     * host→guest: JSON {@link IdentityRequest}; the agent takes the new identity (token, hostname,
     * machine-id, env, files, init, and in a guest fresh entropy and the clock) and answers EXIT(0),
     * or ERROR. Sent to a VM restored from another VM's snapshot (an image snapshot, a fork or a
     * checkpoint) before anyone else talks to it; later connections must AUTH with the new token.
     */
    IDENTITY(0x61),
    /**
     * host→guest: i64 unix time in nanoseconds, like CLOCK_SET. The guest was just restored from its
     * own snapshot, so every connection the agent accepted before this one belongs to a host that
     * no longer holds it: the agent closes them (freeing their slots, killing their execs' groups,
     * detaching their sessions), sets the clock where it owns it, and answers EXIT(0). The host's
     * readiness probe after a restore (decision 0019).
     */
    RESTORED(0x62);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The wire byte, 0–255. */
    public int code() {
        return code;
    }

    /** The type for a wire byte, empty when this side does not know it. */
    public static Optional<FrameType> of(int code) {
        return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }
}
