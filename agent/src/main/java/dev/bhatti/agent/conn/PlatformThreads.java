package dev.bhatti.agent.conn;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Pools of daemon platform threads for work that must not run on virtual threads (blocking native calls). */
public final class PlatformThreads {
    /** Idle threads end after this long, so a burst of connections does not leave threads behind. */
    private static final long KEEP_ALIVE_SECONDS = 5;

    private PlatformThreads() {}

    /** Grows on demand, reuses idle threads, and lets them go after a few idle seconds. */
    public static ExecutorService pool(String namePrefix) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().daemon().name(namePrefix, 0).factory());
    }
}
