package dev.bhatti.agent;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.bhatti.agent.files.Owner;

/**
 * Everything the agent needs to run, parsed once.
 *
 * @param control          control listener (Unix socket in test mode, TCP :1024 in the guest)
 * @param forward          forward listener (Unix socket in test mode, TCP :1025 in the guest)
 * @param token            when present, every connection must open with a matching AUTH frame
 * @param workspace        default working directory and base of relative file paths
 * @param env              config environment (incl. secrets), between the defaults and the request env
 * @param init             command of the {@code init} session, started at boot
 * @param runAs            command prefix that switches to the lohar user (empty = run as the agent's user)
 * @param owner            uid:gid that written files are chowned to (empty = leave as the agent's user)
 * @param authTimeout      deadline for the request frame after AUTH (5 s)
 * @param maxConnections   concurrent authenticated control connections (50)
 * @param pendingTimeout   deadline for the first frame, AUTH when there is a token (2 s; decision 0012)
 * @param maxPending       concurrent connections per listener that have not authenticated yet (64)
 * @param maxSessions      sessions, running or retained (20)
 * @param exitedRetention  how long an exited, detached session stays attachable (30 s)
 * @param syncBeforeExit   call sync(2) before EXIT so a snapshot right after sees the files
 * @param ownsClock        CLOCK_SET may set the machine's wall clock, and IDENTITY its hostname and entropy (guest
 *                         mode only: never the test host's)
 * @param identityRoot     directory IDENTITY writes hostname, machine-id and files under ({@code /} in the guest);
 *                         empty: IDENTITY is refused
 */
public record AgentOptions(
        SocketAddress control,
        SocketAddress forward,
        Optional<String> token,
        Path workspace,
        Map<String, String> env,
        Optional<String> init,
        List<String> runAs,
        Optional<Owner> owner,
        Duration authTimeout,
        int maxConnections,
        Duration pendingTimeout,
        int maxPending,
        int maxSessions,
        Duration exitedRetention,
        boolean syncBeforeExit,
        boolean ownsClock,
        Optional<Path> identityRoot) {

    public AgentOptions {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(workspace, "workspace");
        env = Map.copyOf(env);
        runAs = List.copyOf(runAs);
        if (maxConnections < 1 || maxSessions < 1 || maxPending < 1) {
            throw new IllegalArgumentException("connection and session limits must be positive");
        }
        if (authTimeout.isNegative() || authTimeout.isZero() || pendingTimeout.isNegative() || pendingTimeout.isZero()
                || exitedRetention.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Spec defaults (SPEC §1.4, §2.4, §9; the admission limits of decision 0012) for the given listeners and workspace. */
    public static AgentOptions defaults(SocketAddress control, SocketAddress forward, Path workspace) {
        return new AgentOptions(control, forward, Optional.empty(), workspace, Map.of(), Optional.empty(), List.of(),
                Optional.empty(), Duration.ofSeconds(5), 50, Duration.ofSeconds(2), 64, 20, Duration.ofSeconds(30), true, false, Optional.empty());
    }

    public AgentOptions withToken(String value) {
        return new AgentOptions(control, forward, Optional.of(value), workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, ownsClock, identityRoot);
    }

    public AgentOptions withEnv(Map<String, String> value) {
        return new AgentOptions(control, forward, token, workspace, value, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, ownsClock, identityRoot);
    }

    public AgentOptions withInit(String value) {
        return new AgentOptions(control, forward, token, workspace, env, Optional.ofNullable(value), runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, ownsClock, identityRoot);
    }

    public AgentOptions withIdentity(List<String> prefix, Owner fileOwner) {
        return new AgentOptions(control, forward, token, workspace, env, init, prefix, Optional.of(fileOwner),
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, ownsClock, identityRoot);
    }

    public AgentOptions withLimits(Duration auth, int connections, int sessions, Duration retention) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                auth, connections, pendingTimeout, maxPending, sessions, retention, syncBeforeExit, ownsClock, identityRoot);
    }

    /** The first-frame deadline and the cap on connections that have not authenticated (decision 0012). */
    public AgentOptions withAdmission(Duration firstFrame, int pending) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, firstFrame, pending, maxSessions, exitedRetention, syncBeforeExit, ownsClock, identityRoot);
    }

    public AgentOptions withSync(boolean value) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, value, ownsClock, identityRoot);
    }

    /** Lets IDENTITY write under {@code root} ({@code /} in the guest, a temporary directory in tests). */
    public AgentOptions withIdentityRoot(Path root) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, ownsClock,
                Optional.of(root));
    }

    /** Lets CLOCK_SET set the wall clock: only for the guest, where lohar runs as root in its own VM. */
    public AgentOptions withClockOwnership() {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, syncBeforeExit, true, identityRoot);
    }
}
