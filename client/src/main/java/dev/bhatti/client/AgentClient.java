package dev.bhatti.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileReadResponse;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.ForwardRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.SessionInfo;
import dev.bhatti.proto.StatusReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The host's client of one guest agent (SPEC §1, §2): one connection per
 * operation, opened with AUTH when a token is held. Thread-safe; operations may
 * run concurrently. Outside terminal streams, frame types this side does not
 * know are skipped. The agent's ERROR frames surface as {@link AgentException};
 * broken framing as {@link dev.bhatti.proto.ProtocolException}.
 *
 * <p>{@link #close()} closes every control connection still open, which
 * unblocks any operation waiting on one, and refuses new operations.
 * Channels returned by {@link #forward(int)} belong to the caller.
 */
public final class AgentClient implements AutoCloseable {
    private static final TypeReference<List<SessionInfo>> SESSION_LIST = new TypeReference<>() {};
    private static final long MAX_BACKOFF_MILLIS = 200;
    private static final Duration MAX_READY_ATTEMPT = Duration.ofSeconds(2);

    private final Transport transport;
    private final Optional<String> token;
    private final Set<AgentConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final java.util.concurrent.locks.ReentrantLock connectGate = new java.util.concurrent.locks.ReentrantLock(true);

    /**
     * @param token the sandbox's token, sent as AUTH (its UTF-8 bytes) on every connection; empty for
     *     an agent without one
     */
    public AgentClient(Transport transport, Optional<String> token) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.token = Objects.requireNonNull(token, "token");
    }

    public Transport transport() {
        return transport;
    }

    // ---- exec -------------------------------------------------------------------------------

    /**
     * Runs a piped command to its end and returns its output, stdout and stderr together capped
     * at 10 MiB ({@link CappedOutput}). A program that cannot start answers exit code 127 with the
     * agent's reason on stderr; a fired {@code timeout_sec} answers 124 with {@code timedOut()}.
     *
     * @throws AgentException for any other agent ERROR
     */
    public ExecResult exec(ExecRequest request) throws IOException {
        CappedOutput output = new CappedOutput();
        try {
            return output.result(exec(request, output));
        } catch (AgentException e) {
            return output.failed(e);
        }
    }

    /**
     * Runs a piped command, handing each output frame to {@code listener} as it arrives, and
     * returns the exit code once all output was delivered.
     *
     * @throws AgentException for the agent's ERROR, including a start failure and a timeout
     *     ({@link AgentException#isStartFailure()}, {@link AgentException#isTimeout()})
     */
    public int exec(ExecRequest request, ExecListener listener) throws IOException {
        requirePiped(request);
        try (AgentConnection conn = request(FrameType.EXEC_REQ, request)) {
            return ExecFrames.pump(conn, listener);
        }
    }

    /**
     * Starts a piped command and returns at once with a handle for its stdin, KILL and exit code;
     * output goes to {@code listener} from the handle's reader thread.
     */
    public ExecStream startExec(ExecRequest request, ExecListener listener) throws IOException {
        requirePiped(request);
        return ExecStream.start(request(FrameType.EXEC_REQ, request), listener);
    }

    private static void requirePiped(ExecRequest request) {
        if (request.wantsTty() || request.wantsSession() || request.sessionId() != null) {
            throw new IllegalArgumentException("sessions and terminals go through openTerminal, not exec");
        }
    }

    // ---- sessions ---------------------------------------------------------------------------

    /**
     * Creates a TTY ({@code tty}) or piped ({@code session}) session, or attaches to the one named
     * by {@code session_id}, and returns its stream once the agent answered SESSION_INFO.
     *
     * @throws AgentException when the agent refused (e.g. "session not found", "session is attached")
     */
    public Terminal openTerminal(ExecRequest request) throws IOException {
        if (!request.wantsTty() && !request.wantsSession() && request.sessionId() == null) {
            throw new IllegalArgumentException("a terminal needs tty, session or session_id in the request");
        }
        AgentConnection conn = request(FrameType.EXEC_REQ, request);
        try {
            return Terminal.open(conn);
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Every session the agent holds, including exited ones it still retains. */
    public List<SessionInfo> sessions() throws IOException {
        try (AgentConnection conn = request(FrameType.EXEC_LIST_REQ)) {
            return Json.decode(conn.expect(FrameType.EXEC_LIST_RESP, "session list").payload(), SESSION_LIST,
                    "SessionInfo list");
        }
    }

    /** SIGKILLs a session's process group (or drops an exited session). */
    public void killSession(String sessionId) throws IOException {
        try (AgentConnection conn = request(FrameType.EXEC_KILL, new ExecKillRequest(sessionId))) {
            requireExitZero(conn, "kill of session " + sessionId);
        }
    }

    // ---- files ------------------------------------------------------------------------------

    /** Streams a file's content (whole or truncated) into {@code sink}; answers its total size and mode. */
    public FileReadResponse readFile(FileReadRequest request, OutputStream sink) throws IOException {
        try (AgentConnection conn = connect()) {
            FileReadResponse response = FileOps.startRead(conn, request);
            FileOps.copyContent(conn, request.path(), sink);
            return response;
        }
    }

    /**
     * Opens a file for streaming reads; the agent's refusal (missing file, directory) is thrown
     * here. The caller closes the stream.
     */
    public FileReadStream openRead(FileReadRequest request) throws IOException {
        AgentConnection conn = connect();
        try {
            return new FileReadStream(conn, FileOps.startRead(conn, request), request.path());
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * Writes exactly {@code size} bytes from {@code content} to {@code path}, atomically on the agent
     * side, in STDIN frames of at most 32 KiB.
     *
     * @param mode octal permission bits such as {@code "0644"}, or null for the agent's default
     * @throws java.io.EOFException when {@code content} ends early (the agent discards the partial file)
     */
    public void writeFile(String path, String mode, long size, InputStream content) throws IOException {
        FileWriteRequest request = new FileWriteRequest(path, mode, size);
        try (AgentConnection conn = connect()) {
            FileOps.write(conn, request, content);
        }
    }

    /** Stat, following symlinks. */
    public FileInfo stat(String path) throws IOException {
        try (AgentConnection conn = connect()) {
            return FileOps.stat(conn, path);
        }
    }

    /** A directory's entries (capped by the agent at 10,000 plus a sentinel entry). */
    public List<FileInfo> list(String path) throws IOException {
        try (AgentConnection conn = connect()) {
            return FileOps.list(conn, path);
        }
    }

    // ---- forward, activity, readiness -------------------------------------------------------

    /**
     * Opens a relay to TCP {@code port} on the guest's loopback: once the agent answered ok, the
     * returned channel carries raw bytes both ways (half-close propagates). The caller owns it.
     *
     * @throws AgentException with the agent's message when it could not connect
     */
    public SocketChannel forward(int port) throws IOException {
        ForwardRequest request = new ForwardRequest(port);
        requireOpen();
        AgentConnection conn = new AgentConnection(gated(transport::connectForward), false, c -> {});
        try {
            conn.authenticate(token);
            conn.send(FrameType.FWD_REQ, request);
            StatusReply reply = conn.expectJson(FrameType.FWD_RESP, StatusReply.class, "forward to port " + port);
            if (!reply.succeeded()) {
                throw new AgentException(reply.message() == null ? "forward to port " + port + " failed" : reply.message());
            }
            return conn.channel();
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** The agent's activity counters (does not count as activity itself). */
    public ActivityInfo activity() throws IOException {
        try (AgentConnection conn = request(FrameType.ACTIVITY_REQ)) {
            return conn.expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class, "activity");
        }
    }

    /** Sets the guest's wall clock (CLOCK_SET); the agent refuses outside a guest. */
    public void setClock(Instant now) throws IOException {
        try (AgentConnection conn = connect()) {
            conn.sendBytes(FrameType.CLOCK_SET, Payloads.clock(epochNanos(now)));
            requireExitZero(conn, "clock set");
        }
    }

    /**
     * Gives the VM a new identity (IDENTITY): a VM restored from another VM's snapshot becomes its
     * own sandbox. From then on only {@code identity.token()} opens a connection, so the caller
     * goes on with a new client holding it; this one's token opens nothing.
     */
    public void assumeIdentity(dev.bhatti.proto.IdentityRequest identity) throws IOException {
        try (AgentConnection conn = connect()) {
            conn.send(FrameType.IDENTITY, identity);
            requireExitZero(conn, "identity");
        }
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static void requireExitZero(AgentConnection conn, String what) throws IOException {
        int code = Payloads.exit(conn.expect(FrameType.EXIT, what).payload());
        if (code != 0) {
            throw new IOException(what + " answered exit code " + code);
        }
    }

    /**
     * Waits until the agent answers an ACTIVITY_REQ, retrying with short, growing pauses (2, 5, 10,
     * 20, 50, 100, then 200 ms).
     *
     * @throws AgentException at once when the agent answers with ERROR (e.g. "auth required")
     * @throws IOException when the deadline passes, naming the transport and the last failure
     */
    public void waitReady(Duration timeout) throws IOException, InterruptedException {
        waitFor(timeout, this::activityWithin);
    }

    /**
     * Like {@link #waitReady}, but the probe is RESTORED with the host's time at each attempt: after
     * a restore the guest must drop the connections the stop cut and set its clock, and this costs
     * one round trip instead of three.
     */
    public void waitReadyAfterRestore(Duration timeout) throws IOException, InterruptedException {
        waitFor(timeout, this::restoredWithin);
    }

    /** One readiness probe that must answer within {@code limit}. */
    private interface Probe {
        void run(Duration limit) throws IOException;
    }

    private void waitFor(Duration timeout, Probe probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        for (int attempt = 0; ; attempt++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("agent at " + transport + " not ready within " + timeout + ": "
                        + (last == null ? "no attempt" : last.getMessage()), last);
            }
            try {
                probe.run(Duration.ofNanos(Math.min(left, MAX_READY_ATTEMPT.toNanos())));
                return;
            } catch (AgentException e) {
                if (!e.isConnectionLimit()) {
                    throw e;
                }
                // After a restore the guest may still hold connections the stop cut; keepalive
                // ends them within seconds (decision 0019), so a full agent is retried.
                last = e;
            } catch (IOException e) {
                last = e;
            }
            pauseUntil(Math.min(deadline, System.nanoTime() + backoffMillis(attempt) * 1_000_000L));
        }
    }

    /** Pause before retry {@code attempt} (0-based). */
    static long backoffMillis(int attempt) {
        long[] early = {2, 5, 10, 20, 50, 100};
        return attempt < early.length ? early[attempt] : MAX_BACKOFF_MILLIS;
    }

    private static void pauseUntil(long deadlineNanos) throws InterruptedException {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the agent");
            }
        }
    }

    private void restoredWithin(Duration limit) throws IOException {
        try (AgentConnection conn = connect(); Watchdog watchdog = Watchdog.arm(limit, conn)) {
            try {
                conn.sendBytes(FrameType.RESTORED, Payloads.clock(epochNanos(Instant.now())));
                requireExitZero(conn, "restored");
            } catch (IOException e) {
                throw watchdog.fired() ? new IOException("no answer within " + limit, e) : e;
            }
        }
    }

    private void activityWithin(Duration limit) throws IOException {
        try (AgentConnection conn = request(FrameType.ACTIVITY_REQ); Watchdog watchdog = Watchdog.arm(limit, conn)) {
            try {
                conn.expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class, "activity");
            } catch (IOException e) {
                throw watchdog.fired() ? new IOException("no answer within " + limit, e) : e;
            }
        }
    }

    // ---- connections ------------------------------------------------------------------------

    /** A new authenticated control connection with {@code request} sent. */
    private AgentConnection request(FrameType type, Object request) throws IOException {
        AgentConnection conn = notSent(this::connect);
        try {
            conn.send(type, request);
            return conn;
        } catch (IOException e) {
            conn.close();
            throw notSent(e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private AgentConnection request(FrameType type) throws IOException {
        AgentConnection conn = notSent(this::connect);
        try {
            conn.send(type);
            return conn;
        } catch (IOException e) {
            conn.close();
            throw notSent(e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Failures before the request frame was written: the agent never saw the request. */
    private static IOException notSent(IOException e) {
        return e instanceof AgentException || e instanceof RequestNotSentException ? e : new RequestNotSentException(e);
    }

    @FunctionalInterface
    private interface Opening {
        AgentConnection open() throws IOException;
    }

    private static AgentConnection notSent(Opening opening) throws IOException {
        try {
            return opening.open();
        } catch (IOException e) {
            throw notSent(e);
        }
    }

    /** A new control connection, tracked until closed, with AUTH sent when a token is held. */
    private AgentConnection connect() throws IOException {
        requireOpen();
        AgentConnection conn = new AgentConnection(gated(transport::connectControl), true, open::remove);
        open.add(conn);
        try {
            requireOpen();
            conn.authenticate(token);
            return conn;
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * Connects one at a time where the transport asks for it ({@link Transport#oneConnectAtATime}):
     * QEMU user networking forwards the agent's ports through a listener with a backlog of 1, and
     * simultaneous connects overflow it, which shows as 1 s SYN retransmits and connection resets.
     * Control and forward connects share the gate. Elsewhere connects run in parallel.
     */
    private SocketChannel gated(Connect connect) throws IOException {
        if (!transport.oneConnectAtATime()) {
            return connect.open();
        }
        connectGate.lock();
        try {
            return connect.open();
        } finally {
            connectGate.unlock();
        }
    }

    @FunctionalInterface
    private interface Connect {
        SocketChannel open() throws IOException;
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("agent client for " + transport + " is closed");
        }
    }

    /** Closes every open control connection (unblocking their readers) and refuses new operations. */
    @Override
    public void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (AgentConnection conn : List.copyOf(open)) {
            try {
                conn.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
