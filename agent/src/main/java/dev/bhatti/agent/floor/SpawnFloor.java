package dev.bhatti.agent.floor;

import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.OpenMode;
import dev.bhatti.agent.posix.SpawnRequest;
import dev.bhatti.agent.posix.Spawner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The floor of exec latency: spawn and reap {@code /bin/true} with the agent's own posix layer,
 * stdio on /dev/null, no protocol. {@code lohar floor [--count N]} prints it from inside a guest.
 */
public final class SpawnFloor {
    private static final SpawnRequest TRUE = new SpawnRequest(Path.of("/bin/true"), List.of("true"),
            List.of("PATH=/usr/bin:/bin"), null, List.of(new FdAction.Open(Path.of("/dev/null"), 0, OpenMode.READ_WRITE),
            new FdAction.DupChild(0, 1), new FdAction.DupChild(0, 2)), false);

    private SpawnFloor() {}

    /** {@code n} sequential spawn+wait of /bin/true (call from a platform thread). */
    public static Latencies measure(int n) throws IOException {
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            int code = Spawner.spawn(TRUE).waitFor();
            samples[i] = System.nanoTime() - start;
            if (code != 0) {
                throw new IOException("/bin/true exited with " + code);
            }
        }
        return new Latencies(samples);
    }
}
