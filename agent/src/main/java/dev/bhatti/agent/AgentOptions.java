package dev.bhatti.agent;

import java.net.SocketAddress;
import java.nio.file.Path;
import dev.bhatti.agent.files.Owner;
import dev.bhatti.agent.posix.ThreadCredentials;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the agent needs to run, parsed once.
 *
 * @param control          control listener (Unix socket in test mode, TCP :1024 in the guest)
 * @param forward          forward listener (Unix socket in test mode, TCP :1025 in the guest)
 * @param token            when present, every connection must open with a matching AUTH frame
 * @param workspace        default working directory and base of relative file paths
 * @param env              config environment (incl. secrets), between the defaults and the request env
 * @param init             command of the {@code init} session, started at boot
 * @param runAs            user and group commands run as unless a request asks for root (empty = the agent's own)
 * @param owner            uid:gid that written files are chowned to (empty = leave as the agent's user)
 * @param authTimeout      deadline for the request frame after AUTH (5 s)
 * @param maxConnections   concurrent authenticated control connections (50)
 * @param pendingTimeout   deadline for the first frame, AUTH when there is a token (2 s; decision 0012)
 * @param maxPending       concurrent connections per listener that have not authenticated yet (64)
 * @param maxSessions      sessions, running or retained (20)
 * @param exitedRetention  how long an exited, detached session stays attachable (30 s)
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
        Optional<ThreadCredentials.Ids> runAs,
        Optional<Owner> owner,
        Duration authTimeout,
        int maxConnections,
        Duration pendingTimeout,
        int maxPending,
        int maxSessions,
        Duration exitedRetention,
        boolean ownsClock,
        Optional<Path> identityRoot) {

    public AgentOptions {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(workspace, "workspace");
        env = Map.copyOf(env);
        Objects.requireNonNull(runAs, "runAs");
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
        return new AgentOptions(control, forward, Optional.empty(), workspace, Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5), 50, Duration.ofSeconds(2), 64, 20, Duration.ofSeconds(30), false, Optional.empty());
    }

    public AgentOptions withToken(String value) {
        return new AgentOptions(control, forward, Optional.of(value), workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, ownsClock, identityRoot);
    }

    public AgentOptions withEnv(Map<String, String> value) {
        return new AgentOptions(control, forward, token, workspace, value, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, ownsClock, identityRoot);
    }

    public AgentOptions withInit(String value) {
        return new AgentOptions(control, forward, token, workspace, env, Optional.ofNullable(value), runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, ownsClock, identityRoot);
    }

    public AgentOptions withIdentity(Optional<ThreadCredentials.Ids> prefix, Owner fileOwner) {
        return new AgentOptions(control, forward, token, workspace, env, init, prefix, Optional.of(fileOwner),
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, ownsClock, identityRoot);
    }

    public AgentOptions withLimits(Duration auth, int connections, int sessions, Duration retention) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                auth, connections, pendingTimeout, maxPending, sessions, retention, ownsClock, identityRoot);
    }

    /** The first-frame deadline and the cap on connections that have not authenticated (decision 0012). */
    public AgentOptions withAdmission(Duration firstFrame, int pending) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, firstFrame, pending, maxSessions, exitedRetention, ownsClock, identityRoot);
    }

    /** Lets IDENTITY write under {@code root} ({@code /} in the guest, a temporary directory in tests). */
    public AgentOptions withIdentityRoot(Path root) {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, ownsClock,
                Optional.of(root));
    }

    /** Lets CLOCK_SET set the wall clock: only for the guest, where lohar runs as root in its own VM. */
    public AgentOptions withClockOwnership() {
        return new AgentOptions(control, forward, token, workspace, env, init, runAs, owner,
                authTimeout, maxConnections, pendingTimeout, maxPending, maxSessions, exitedRetention, true, identityRoot);
    }
}
