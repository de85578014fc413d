package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.client.ExecResult;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real QemuEngine on a temporary data directory with the images {@code scripts/image} built.
 * {@link #close()} ends every VMM (also after failures), checks none survived and removes the directory.
 */
final class EngineFixture implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Path dataDir;
    final QemuEngine engine;

    EngineFixture() throws IOException {
        dataDir = Files.createTempDirectory("bhatti-engine-test-");
        engine = new QemuEngine(dataDir, GuestImages.fromCache());
    }

    static String newId(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    VmInfo create(String prefix) {
        return engine.create(CreateSpec.basic(newId(prefix)));
    }

    ExecResult sh(String id, String script) throws IOException {
        return engine.agent(id).exec(ExecRequest.of("sh", "-c", script));
    }

    /** A sandbox's directory under this fixture's data directory. */
    Path sandboxDir(String id) {
        return dataDir.resolve("sandboxes").resolve(id);
    }

    /** QEMU processes whose command line mentions this fixture's data directory. */
    List<ProcessHandle> vmms() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dataDir.toString()))
                        .orElse(false))
                .toList();
    }

    @Override
    public void close() throws IOException {
        engine.close();
        List<ProcessHandle> left = vmms();
        left.forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        assertThat(left).as("QEMU processes left behind").isEmpty();
    }
}
