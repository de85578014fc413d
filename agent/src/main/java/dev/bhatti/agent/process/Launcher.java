package dev.bhatti.agent.process;

import dev.bhatti.agent.posix.Child;
import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.PosixException;
import dev.bhatti.agent.posix.SpawnRequest;
import dev.bhatti.agent.posix.Spawner;
import dev.bhatti.agent.posix.ThreadCredentials;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.agent.conn.PlatformThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Starts children for exec and sessions (SPEC §2.3): merges the environment
 * (defaults → config env → request env, later wins), resolves the program in
 * the merged {@code PATH}, checks the working directory (default: the
 * workspace) and starts the child as the configured user ({@code lohar} in
 * the guest, switched on the spawning thread only: {@link ThreadCredentials}),
 * unless the request asks for root: then the child keeps the agent's identity.
 *
 * <p>Also owns the pool of platform threads on which blocking native I/O runs
 * (reads, writes and waits on child descriptors): an FFM call pins a virtual
 * thread's carrier, so such calls never run on virtual threads.
 */
public final class Launcher implements AutoCloseable {
    /** The defaults every child starts from. */
    public static final Map<String, String> DEFAULT_ENV = defaults();

    /** What a request with {@code "user":"root"} changes in the defaults: it skips the run-as prefix too. */
    static final Map<String, String> ROOT_ENV = Map.of("HOME", "/root", "USER", "root");

    private final Path workspace;
    /** The sandbox's env; replaced when the VM takes a new identity (IDENTITY). */
    private volatile Map<String, String> configEnv;
    private final Optional<ThreadCredentials.Ids> runAs;
    private final ExecutorService blockingIo =
            PlatformThreads.pool("lohar-io-");

    public Launcher(Path workspace, Map<String, String> configEnv, Optional<ThreadCredentials.Ids> runAs) {
        this.workspace = workspace;
        this.configEnv = Map.copyOf(configEnv);
        this.runAs = runAs;
    }

    /** Replaces the sandbox's env for every later child (a restored VM's new identity). */
    public void setConfigEnv(Map<String, String> env) {
        this.configEnv = Map.copyOf(env);
    }

    private static Map<String, String> defaults() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("TERM", "xterm-256color");
        env.put("HOME", "/home/lohar");
        env.put("LANG", "C.UTF-8");
        env.put("USER", "lohar");
        return java.util.Collections.unmodifiableMap(env);
    }

    /** Pool for blocking native calls that must run on their own platform thread (session watchers, reapers). */
    public ExecutorService blockingIo() {
        return blockingIo;
    }

    /** A blocking native step. */
    @FunctionalInterface
    public interface NativeCall<T> {
        T call() throws IOException;
    }

    /**
     * Runs a blocking native call where it pins nothing: inline on a platform thread, or handed to
     * the pool (and awaited) from a virtual thread.
     */
    public <T> T blocking(NativeCall<T> call) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return call.call();
        }
        try {
            return blockingIo.submit(call::call).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during a native call", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    public Path workspace() {
        return workspace;
    }

    /**
     * Starts {@code request.argv()} with the given descriptor set-up.
     *
     * @throws StartException with a message {@code "start: <reason>"} when the program or cwd is unusable
     */
    public Child start(ExecRequest request, List<FdAction> io, boolean newSession) throws IOException {
        Map<String, String> env = environment(request.asRoot() ? ROOT_ENV : Map.of(), request.env());
        Path cwd = request.cwd() == null ? workspace : workspace.resolve(request.cwd());
        if (!Files.isDirectory(cwd)) {
            throw new StartException(AgentErrorText.START.with("chdir " + cwd + ": no such directory"));
        }
        String program = request.argv().getFirst();
        Path executable = Executables.resolve(program, env.get("PATH"), cwd)
                .orElseThrow(() -> new StartException(AgentErrorText.START.with(program + ": executable file not found in $PATH")));
        ThreadCredentials.Ids user = userOf(request).orElse(null);
        List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try {
            return Spawner.spawn(new SpawnRequest(executable, request.argv(), envList, cwd, io, newSession, user));
        } catch (PosixException e) {
            throw new StartException(AgentErrorText.START.with(e.getMessage()));
        }
    }

    /** Who a child of {@code request} runs as: the configured user, or the agent's own (empty) for root requests. */
    public Optional<ThreadCredentials.Ids> userOf(ExecRequest request) {
        return request.asRoot() ? Optional.empty() : runAs;
    }

    /** Defaults, then {@code userEnv} (root's HOME and USER), then the config env, then the request's. */
    private Map<String, String> environment(Map<String, String> userEnv, Map<String, String> requestEnv) {
        Map<String, String> env = new LinkedHashMap<>(DEFAULT_ENV);
        env.putAll(userEnv);
        env.putAll(configEnv);
        if (requestEnv != null) {
            env.putAll(requestEnv);
        }
        return env;
    }

    @Override
    public void close() {
        blockingIo.shutdownNow();
    }
}
