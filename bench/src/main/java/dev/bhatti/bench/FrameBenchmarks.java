package dev.bhatti.bench;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Frame codec throughput: one frame written per op, and frames read per op from a pre-encoded stream. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FrameBenchmarks {
    /** Frames in the pre-encoded stream each read invocation consumes. */
    static final int FRAMES_PER_READ = 256;

    @Param({"64", "32768"})
    int payloadBytes;

    private byte[] payload;
    private FrameWriter nullWriter;
    private byte[] encoded;

    @Setup
    public void setUp() throws IOException {
        payload = new byte[payloadBytes];
        nullWriter = new FrameWriter(OutputStream.nullOutputStream());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(stream);
        for (int i = 0; i < FRAMES_PER_READ; i++) {
            writer.write(FrameType.STDOUT, payload);
        }
        encoded = stream.toByteArray();
    }

    /** One STDOUT frame encoded and written (one write call) to a null stream. */
    @Benchmark
    public void frameWrite() throws IOException {
        nullWriter.write(FrameType.STDOUT, payload);
    }

    /** Frames decoded from memory; the score is frames per second. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_PER_READ)
    public void frameRead(Blackhole sink) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(encoded));
        for (Optional<Frame> f = reader.next(); f.isPresent(); f = reader.next()) {
            sink.consume(f.get());
        }
    }
}
