package dev.bhatti.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.QemuEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real QemuEngine on a temporary data directory with the cached guest images, for server tests.
 * {@link #close()} ends every VMM (also after failures), checks none survived and removes the directory.
 */
public final class RealVms implements AutoCloseable {
    private final AtomicInteger counter = new AtomicInteger();
    public final Path dataDir;
    public final QemuEngine engine;

    public RealVms() throws IOException {
        dataDir = Files.createTempDirectory("bhatti-server-test-");
        engine = new QemuEngine(dataDir, GuestImages.fromCache());
    }

    /** Boots a basic sandbox (1 vCPU, 512 MiB) with a unique id starting with {@code prefix}. */
    public VmInfo create(String prefix) {
        String id = prefix + "-" + ProcessHandle.current().pid() + "-" + counter.incrementAndGet();
        return engine.create(CreateSpec.basic(id));
    }

    public Path sandboxDir(String id) {
        return dataDir.resolve("sandboxes").resolve(id);
    }

    /** QEMU processes whose command line mentions this data directory (or only one sandbox's directory). */
    public List<ProcessHandle> vmms(String mention) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(mention))
                        .orElse(false))
                .toList();
    }

    /** Kills a sandbox's VMM behind the engine's back (a crashed VMM) and waits until it is gone. */
    public void killVmm(String id) throws Exception {
        List<ProcessHandle> vmm = vmms(sandboxDir(id) + "/");
        assertThat(vmm).as("VMM of " + id).hasSize(1);
        vmm.getFirst().destroyForcibly();
        vmm.getFirst().onExit().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        engine.close();
        List<ProcessHandle> left = vmms(dataDir.toString());
        left.forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        assertThat(left).as("QEMU processes left behind").isEmpty();
    }
}
