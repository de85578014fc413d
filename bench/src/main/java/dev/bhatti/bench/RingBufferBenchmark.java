package dev.bhatti.bench;

import dev.bhatti.agent.tty.RingBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Session scrollback writes: one chunk of terminal output into the 64 KiB ring per op. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RingBufferBenchmark {
    @Param({"100", "4096"})
    int chunkBytes;

    private RingBuffer ring;
    private byte[] chunk;

    @Setup
    public void setUp() {
        ring = new RingBuffer(RingBuffer.SCROLLBACK);
        chunk = new byte[chunkBytes];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
    }

    @Benchmark
    public int ringWrite() {
        ring.write(chunk, 0, chunk.length);
        return ring.size();
    }
}
