package dev.bhatti.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the HTTP API answers, the only source of the {@code code} field of an error body
 * ({@code {"error": message, "code": code}}). Each code has one HTTP status, through its
 * {@link Family}, and a one-line meaning that the OpenAPI document and {@code docs/errors.md} show.
 * A code, once published, keeps its name and status.
 */
public enum ErrorCode {
    // 400: the request is wrong; nothing was changed.
    BAD_REQUEST(Family.INVALID, "the request is malformed (framework-level: bad header, bad query)"),
    INVALID_JSON(Family.INVALID, "the body is not JSON, or a field has the wrong type"),
    INVALID_REQUEST(Family.INVALID, "the request is well-formed but asks for something impossible"),
    INVALID_NAME(Family.INVALID, "a name is empty, too long or uses characters outside [a-z0-9-_.]"),
    NAME_IS_SANDBOX_ID(Family.INVALID, "a sandbox name looks like a sandbox id, which would make lookups ambiguous"),
    INVALID_CPUS(Family.INVALID, "cpus is outside the allowed range"),
    INVALID_MEMORY(Family.INVALID, "memory_mb is outside the allowed range"),
    INVALID_DISK_SIZE(Family.INVALID, "disk_size_mb is outside the allowed range"),
    DISK_TOO_LARGE(Family.INVALID, "disk_size_mb is over the user's max_root_disk_mb"),
    INVALID_ENV(Family.INVALID, "an env name is empty or contains '=' or NUL, or a value contains NUL"),
    INVALID_LABEL(Family.INVALID, "a label key or value is empty, too long, or contains '=' or NUL"),
    INVALID_INIT(Family.INVALID, "init is not a usable command"),
    INVALID_COMMAND(Family.INVALID, "cmd is empty or contains NUL"),
    INVALID_CWD(Family.INVALID, "cwd contains a NUL byte (a relative cwd is resolved by the guest)"),
    INVALID_USER(Family.INVALID, "user is not one of lohar, root"),
    INVALID_TIMEOUT(Family.INVALID, "timeout_sec is not a positive number within the limit"),
    INVALID_PATH(Family.INVALID, "a guest path is missing, relative, or contains NUL or '..'"),
    INVALID_FILE(Family.INVALID, "a file to place at create is malformed"),
    INVALID_OFFSET(Family.INVALID, "offset (of a file read) is not a non-negative integer"),
    INVALID_LIMIT(Family.INVALID, "limit (of a file read) is not a non-negative integer"),
    INVALID_MAX_BYTES(Family.INVALID, "max_bytes (of a file read) is not a non-negative integer"),
    INVALID_MODE(Family.INVALID, "a file mode is not an octal permission"),
    INVALID_SIZE(Family.INVALID, "a size is not a positive integer within the limit"),
    INVALID_PORT(Family.INVALID, "a port is outside 1-65535"),
    INVALID_ALIAS(Family.INVALID, "a public alias is malformed"),
    INVALID_SECRET(Family.INVALID, "a secret name or value is malformed"),
    INVALID_VOLUME(Family.INVALID, "a volume name, mount point or mode is malformed"),
    TOO_MANY_VOLUMES(Family.INVALID, "more volumes than a sandbox can attach"),
    INVALID_COUNT(Family.INVALID, "count (of a fork) is not an integer in 1..10"),
    INVALID_EVENT_ID(Family.INVALID, "Last-Event-ID (or last_event_id) is not a non-negative integer"),
    INVALID_NETWORK_POLICY(Family.INVALID, "an allow_out or deny_out entry is not an IPv4 address, CIDR, domain or *.domain (optionally with :port), or a list holds over 256"),
    AGENT_REFUSED(Family.INVALID, "the sandbox's agent refused the request (the message says why)"),

    // 401
    UNAUTHORIZED(Family.UNAUTHENTICATED, "no API key, or a key that is not known"),

    // 403
    ADMIN_ONLY(Family.FORBIDDEN, "the route answers only the admin's key (GET /metrics)"),
    PATH_FORBIDDEN(Family.FORBIDDEN, "the sandbox's user may not read or write this path (E2B file calls)"),

    // 404: no such resource for this user; another user's resource answers the same.
    ROUTE_NOT_FOUND(Family.NOT_FOUND, "no route with this method and path"),
    SANDBOX_NOT_FOUND(Family.NOT_FOUND, "no sandbox with this id or name"),
    TEMPLATE_NOT_FOUND(Family.NOT_FOUND, "no template with this name"),
    SECRET_NOT_FOUND(Family.NOT_FOUND, "no secret with this name"),
    VOLUME_NOT_FOUND(Family.NOT_FOUND, "no volume with this name"),
    USER_NOT_FOUND(Family.NOT_FOUND, "no user with this name"),
    SESSION_NOT_FOUND(Family.NOT_FOUND, "no shell session with this id in the sandbox"),
    FILE_NOT_FOUND(Family.NOT_FOUND, "no file at this path in the sandbox"),
    PUBLISH_NOT_FOUND(Family.NOT_FOUND, "the port is not published"),
    ALIAS_NOT_FOUND(Family.NOT_FOUND, "no public preview under this alias"),
    CHECKPOINT_NOT_FOUND(Family.NOT_FOUND, "no checkpoint with this id or name"),

    // 405
    METHOD_NOT_ALLOWED(Family.METHOD_NOT_ALLOWED, "the path exists but not with this method"),

    // 409: the request conflicts with the current state.
    NAME_CONFLICT(Family.CONFLICT, "the name is taken"),
    ALIAS_CONFLICT(Family.CONFLICT, "the public alias is taken"),
    VOLUME_ATTACHED(Family.CONFLICT, "the volume is attached to a sandbox"),
    SESSION_ATTACHED(Family.CONFLICT, "the shell session already has a client attached"),
    USER_HAS_SANDBOXES(Family.CONFLICT, "the user still owns sandboxes"),
    SANDBOX_FAILED(Family.CONFLICT, "the sandbox failed (its VMM died or a create was interrupted); POST /start brings it back"),
    COPY_UNSUPPORTED(Family.CONFLICT, "the sandbox cannot be forked or checkpointed: it has a persistent volume attached read-write"),
    NETWORK_POLICY_UNSUPPORTED(Family.CONFLICT, "the daemon's network mode (user) cannot enforce an egress policy; netns and bridge can"),
    ALREADY_PAUSED(Family.CONFLICT, "the sandbox is already paused (stopped): an E2B pause of a paused sandbox"),
    SANDBOX_UNKNOWN(Family.CONFLICT, "the sandbox's state is unknown after an interrupted operation; POST /start with force"),

    // 411, 413, 414, 426, 431: the HTTP request itself cannot be served.
    LENGTH_REQUIRED(Family.LENGTH_REQUIRED, "an upload without Content-Length"),
    PAYLOAD_TOO_LARGE(Family.TOO_LARGE, "a body over its cap"),
    URI_TOO_LONG(Family.URI_TOO_LONG, "the request line is over the server's limit"),
    UPGRADE_REQUIRED(Family.UPGRADE_REQUIRED, "an HTTP/2 request on the HTTP/1.1 port"),
    HEADERS_TOO_LARGE(Family.HEADERS_TOO_LARGE, "the request headers are over the server's limit"),

    // 429: a quota or a rate.
    QUOTA_EXCEEDED(Family.LIMITED, "the user's sandbox, cpu or memory quota is used up"),
    STORAGE_QUOTA_EXCEEDED(Family.LIMITED, "the user's disk and volume storage quota is used up"),
    RATE_LIMITED(Family.LIMITED, "too many requests; slow down"),
    IP_POOL_EXHAUSTED(Family.LIMITED, "no free address left in the bridge network's range"),

    // 500
    INTERNAL_ERROR(Family.INTERNAL, "an unexpected failure; the log has details under the request_id"),

    // 502: the service inside the sandbox.
    SANDBOX_NOT_RUNNING(Family.UPSTREAM, "an E2B in-sandbox request names a sandbox that is unknown, killed or paused (E2B's proxy answers 502 too)"),
    UPSTREAM_UNREACHABLE(Family.UPSTREAM, "nothing listens on the port inside the sandbox"),
    UPSTREAM_FAILED(Family.UPSTREAM, "the service inside the sandbox broke the connection or the response"),

    // 503: the sandbox cannot serve now; retrying may help.
    SANDBOX_NOT_HOT(Family.UNAVAILABLE, "the sandbox is not running and this request does not wake it"),
    SANDBOX_INTERRUPTED(Family.UNAVAILABLE, "a stop or start cut the request; it may or may not have run"),
    AGENT_UNREACHABLE(Family.UNAVAILABLE, "the sandbox's agent did not answer"),
    SNAPSHOT_UNUSABLE(Family.UNAVAILABLE, "the sandbox's snapshot could not be restored; POST /start with force boots its disk"),
    VMM_FAILED(Family.UNAVAILABLE, "the sandbox's VMM failed to start or refused a command"),
    WAKE_TIMEOUT(Family.UNAVAILABLE, "the sandbox did not wake in time"),
    WAKE_INTERRUPTED(Family.UNAVAILABLE, "waking the sandbox was interrupted"),
    TOO_MANY_WAKES(Family.UNAVAILABLE, "too many sandboxes are waking; retry after Retry-After seconds"),

    // 504: the command ran out of time.
    EXEC_TIMEOUT(Family.TIMED_OUT, "the command ran past its timeout_sec and was killed (the error event of a streamed exec; "
            + "a buffered exec answers exit_code 124)"),

    // 507
    HOST_DISK_FULL(Family.INSUFFICIENT_STORAGE, "the host has too little free disk for this request");

    /** Kinds of failure, each with one HTTP status; the SDK has one exception type per family. */
    public enum Family {
        INVALID(400),
        UNAUTHENTICATED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        CONFLICT(409),
        LENGTH_REQUIRED(411),
        TOO_LARGE(413),
        URI_TOO_LONG(414),
        UPGRADE_REQUIRED(426),
        HEADERS_TOO_LARGE(431),
        LIMITED(429),
        INTERNAL(500),
        UPSTREAM(502),
        UNAVAILABLE(503),
        TIMED_OUT(504),
        INSUFFICIENT_STORAGE(507);

        private final int status;

        Family(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final Map<String, ErrorCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final Family family;
    private final String meaning;
    private final String code;

    ErrorCode(Family family, String meaning) {
        this.family = family;
        this.meaning = meaning;
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The wire form: {@code sandbox_not_found}. */
    public String code() {
        return code;
    }

    public Family family() {
        return family;
    }

    /** The HTTP status this code is always answered with. */
    public int status() {
        return family.status;
    }

    /** One line: what the code means for the caller. */
    public String meaning() {
        return meaning;
    }

    /** The code for a wire form, empty for one this version does not know (a newer server's). */
    public static Optional<ErrorCode> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
