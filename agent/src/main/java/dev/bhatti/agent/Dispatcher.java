package dev.bhatti.agent;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Admission;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.conn.LiveConnections;
import dev.bhatti.agent.exec.Exec;
import dev.bhatti.agent.files.FileService;
import dev.bhatti.agent.forward.Forwarder;
import dev.bhatti.agent.posix.GuestSystem;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.agent.tty.Sessions;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.ForwardRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.IdentityRequest;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.PathRequest;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.ProtocolException;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Authenticates a connection, reads its one request frame and hands it to the feature that serves it. */
final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final AgentOptions options;
    /** Replaced by IDENTITY: a restored VM's new token opens every later connection, the old none. */
    private volatile Optional<byte[]> token;
    private final Optional<dev.bhatti.agent.identity.NewIdentity> identity;
    /** For the first frame of a connection that has not authenticated (short: decision 0012). */
    private final FirstFrameDeadline firstFrame;
    /** For the request frame after AUTH. */
    private final FirstFrameDeadline deadline;
    private final Activity activity = new Activity(Clock.systemUTC());
    private final Sessions sessions;
    private final Exec exec;
    private final FileService files;
    private final Forwarder forwarder = new Forwarder();
    private final Launcher launcher;
    private final LiveConnections live;
    /** How long RESTORED and IDENTITY wait for the connections they close to be let go. */
    private static final java.time.Duration CUT_WAIT = java.time.Duration.ofSeconds(3);

    Dispatcher(AgentOptions options, ScheduledExecutorService timers, LiveConnections live) {
        this.options = options;
        this.live = live;
        this.token = options.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.firstFrame = new FirstFrameDeadline(options.pendingTimeout(), timers, this::expired);
        this.deadline = new FirstFrameDeadline(options.authTimeout(), timers, this::expired);
        this.launcher = new Launcher(options.workspace(), options.env(), options.runAs());
        this.sessions = new Sessions(launcher, activity, timers, options.maxSessions(), options.exitedRetention());
        this.exec = new Exec(launcher, activity, timers);
        this.files = new FileService(options.workspace(), options.owner(), activity);
        this.identity = options.identityRoot().map(root -> new dev.bhatti.agent.identity.NewIdentity(root,
                options.owner(), options.ownsClock()));
    }

    void startInit() {
        options.init().ifPresent(sessions::startInit);
    }

    /** Serves one control connection; {@code ticket} is its admission, upgraded once it authenticates. */
    void serveControl(Connection conn, Admission.Ticket ticket) {
        serve(conn, ticket, this::dispatchControl);
    }

    void serveForward(Connection conn, Admission.Ticket ticket) {
        serve(conn, ticket, this::dispatchForward);
    }

    private interface Handler {
        void handle(Frame request, Connection conn) throws IOException;
    }

    private void serve(Connection conn, Admission.Ticket ticket, Handler handler) {
        try {
            Optional<Frame> request = authenticate(conn, ticket);
            if (request.isPresent()) {
                handler.handle(request.get(), conn);
            }
        } catch (ProtocolException e) {
            conn.tryError(e.getMessage());
        } catch (IOException e) {
            log.debug("event=connection_dropped error=\"{}\"", e.getMessage());
        } catch (RuntimeException e) {
            log.error("event=request_failed", e);
            conn.tryError(AgentErrorText.INTERNAL.with(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Reads the first frame under the short first-frame deadline, admits the connection to an
     * authenticated slot once it proved itself (matching AUTH, or any well-formed frame without a
     * token), then reads the request under the auth deadline; answers the request frame, or empty
     * when refused.
     */
    private Optional<Frame> authenticate(Connection conn, Admission.Ticket ticket) throws IOException {
        Optional<Frame> first;
        try {
            first = readWithDeadline(conn, firstFrame);
        } catch (ProtocolException e) {
            if (token.isEmpty()) {
                throw e;
            }
            first = Optional.of(Frame.of(FrameType.ERROR));
        }
        if (first.isEmpty()) {
            return first;
        }
        boolean isAuth = first.get().is(FrameType.AUTH);
        if (token.isPresent()) {
            if (!isAuth || !MessageDigest.isEqual(token.get(), first.get().payload())) {
                conn.tryError(AgentErrorText.AUTH_REQUIRED.text());
                return Optional.empty();
            }
        }
        if (!ticket.authenticate()) {
            conn.tryError(AgentErrorText.CONNECTION_LIMIT.text());
            return Optional.empty();
        }
        return isAuth ? readWithDeadline(conn, deadline) : first;
    }

    private static Optional<Frame> readWithDeadline(Connection conn, FirstFrameDeadline within) throws IOException {
        within.arm(conn);
        try {
            return conn.in().next();
        } finally {
            within.disarm(conn);
        }
    }

    private void expired(Connection conn) {
        conn.tryError(token.isPresent() ? AgentErrorText.AUTH_REQUIRED.text() : AgentErrorText.NO_REQUEST.text());
        conn.close();
    }

    private void dispatchControl(Frame request, Connection conn) throws IOException {
        FrameType type = request.kind().orElseThrow(() -> new ProtocolException(
                ProtocolException.Reason.UNEXPECTED_FRAME, "unknown frame type 0x" + Integer.toHexString(request.type())));
        byte[] p = request.payload();
        switch (type) {
            case EXEC_REQ -> execute(Json.decode(p, ExecRequest.class), conn);
            case EXEC_LIST_REQ -> sessions.list(conn);
            case EXEC_KILL -> sessions.kill(Json.decode(p, ExecKillRequest.class), conn);
            case ACTIVITY_REQ -> conn.out().sendJson(FrameType.ACTIVITY_RESP, activityInfo());
            case FILE_READ_REQ -> files.read(Json.decode(p, FileReadRequest.class), conn);
            case FILE_WRITE_REQ -> files.write(Json.decode(p, FileWriteRequest.class), conn);
            case FILE_STAT_REQ -> files.stat(Json.decode(p, PathRequest.class), conn);
            case FILE_LS_REQ -> files.list(Json.decode(p, PathRequest.class), conn);
            case CLOCK_SET -> setClock(Payloads.clock(p), conn);
            case IDENTITY -> takeIdentity(Json.decode(p, IdentityRequest.class), conn);
            case RESTORED -> restored(Payloads.clock(p), conn);
            case FWD_REQ -> conn.tryError("forward requests belong on the forward port");
            default -> conn.tryError("unexpected " + type + " frame as a request");
        }
    }

    private void dispatchForward(Frame request, Connection conn) throws IOException {
        if (!request.is(FrameType.FWD_REQ)) {
            conn.tryError("the forward port only serves FWD_REQ, got "
                    + request.kind().map(Enum::name).orElse("0x" + Integer.toHexString(request.type())));
            return;
        }
        forwarder.relay(Json.decode(request.payload(), ForwardRequest.class), conn);
    }

    private void execute(ExecRequest request, Connection conn) throws IOException {
        activity.touch();
        if (request.sessionId() != null) {
            sessions.attach(request, conn);
        } else if (request.wantsTty() || request.wantsSession()) {
            sessions.create(request, conn);
        } else if (request.wantsDetach()) {
            exec.detach(request, conn);
        } else {
            exec.run(request, conn);
        }
    }

    /** CLOCK_SET: only where lohar owns the machine's clock (the guest); test mode refuses. */
    private void setClock(long epochNanos, Connection conn) throws IOException {
        if (!options.ownsClock()) {
            conn.tryError("clock: setting the clock is disabled here (test mode)");
            return;
        }
        GuestSystem.setClock(epochNanos);
        log.info("event=clock_set epoch_ms={}", epochNanos / 1_000_000);
        conn.out().exit(0);
    }

    /**
     * RESTORED: the connections accepted before this one were cut by the stop that took the
     * snapshot; they are closed before the answer, so the host's next request finds their slots free.
     */
    private void restored(long epochNanos, Connection conn) throws IOException {
        int cut = live.closeAcceptedBefore(conn, CUT_WAIT);
        if (options.ownsClock()) {
            GuestSystem.setClock(epochNanos);
        }
        log.info("event=restored cut_connections={} clock_set={}", cut, options.ownsClock());
        conn.out().exit(0);
    }

    /**
     * IDENTITY: files and machine state first, then the env and init, and the token last, so a
     * failure leaves the VM answering its old token. Only a connection that authenticated with the
     * current token gets here. The copied VM's older connections were its source's: they are closed.
     */
    private void takeIdentity(IdentityRequest request, Connection conn) throws IOException {
        if (identity.isEmpty()) {
            conn.tryError("identity: taking a new identity is disabled here (test mode without --identity-root)");
            return;
        }
        identity.get().apply(request);
        launcher.setConfigEnv(request.env());
        if (request.init() != null && !sessions.hasInit()) {
            sessions.startInit(request.init());
        }
        token = Optional.of(request.token().getBytes(StandardCharsets.UTF_8));
        int cut = live.closeAcceptedBefore(conn, CUT_WAIT);
        if (cut > 0) {
            log.info("event=identity_cut_connections count={}", cut);
        }
        conn.out().exit(0);
        if (request.network() != null && options.ownsClock()) {
            dev.bhatti.agent.guest.GuestNetwork.renumberSoon(request.network());
        }
    }

    private ActivityInfo activityInfo() {
        Sessions.Counts counts = sessions.counts();
        return new ActivityInfo(activity.lastUnixSeconds(), counts.active(), counts.attached());
    }

    @Override
    public void close() {
        sessions.close();
        launcher.close();
    }
}
