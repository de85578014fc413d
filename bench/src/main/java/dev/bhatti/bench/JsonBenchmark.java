package dev.bhatti.bench;

import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Json;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** JSON encoding of a typical EXEC_REQ payload. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class JsonBenchmark {
    private final ExecRequest request = ExecRequest.builder("sh", "-c", "cd /workspace && npm test -- --runInBand")
            .env(Map.of("CI", "true", "NODE_ENV", "test", "API_TOKEN", "0123456789abcdef"))
            .cwd("/workspace/app").timeoutSec(300).build();

    @Benchmark
    public byte[] encodeExecRequest() {
        return Json.encode(request);
    }
}
