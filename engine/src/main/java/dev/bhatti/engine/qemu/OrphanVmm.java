package dev.bhatti.engine.qemu;

import dev.bhatti.engine.qemu.qmp.QmpClient;
import dev.bhatti.engine.qemu.qmp.QmpCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QEMU left running by a daemon that died (SIGKILL, crash): found by its command line naming the
 * sandbox's QMP socket (never by process name), snapshotted over that socket like a normal stop,
 * then ended. The sandbox then restores from that snapshot with its processes intact (SPEC §7:
 * "running VMs whose daemon died are either re-adopted or snapshotted — never silently lost").
 */
final class OrphanVmm {
    private static final Logger log = LoggerFactory.getLogger(OrphanVmm.class);
    private static final Duration QMP_CONNECT = Duration.ofSeconds(10);

    private OrphanVmm() {}

    static Optional<ProcessHandle> find(SandboxDir dir) {
        String socket = dir.qmpSocket().toAbsolutePath().toString();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(c -> c.contains(socket)).orElse(false))
                .findFirst();
    }

    /** Snapshots and ends the orphaned VMM of {@code dir}, if there is one; answers whether there was. */
    static boolean snapshotAndEnd(String id, SandboxDir dir) throws IOException {
        Optional<ProcessHandle> vmm = find(dir);
        if (vmm.isEmpty()) {
            return false;
        }
        ProcessHandle p = vmm.get();
        try (QmpClient qmp = QmpClient.connect(id, dir.qmpSocket(), QMP_CONNECT, p::isAlive)) {
            if (incoming(qmp)) {
                // A restore that had not loaded its device state yet: the guest never ran in this
                // VMM, so the snapshot on disk is still the sandbox's state; keep it, end the VMM.
                quit(id, qmp);
                log.info("event=orphan_vmm_incoming_ended sandbox={} pid={} (snapshot kept)", id, p.pid());
                return true;
            }
            long bytes = Snapshots.save(qmp, dir, Snapshots.Mode.SHARED_MEMORY);
            try {
                qmp.execute(QmpCommand.QUIT);
            } catch (IOException e) {
                log.debug("event=orphan_quit_reply_lost sandbox={} error=\"{}\"", id, e.getMessage());
            }
            log.info("event=orphan_vmm_snapshotted sandbox={} pid={} state_bytes={}", id, p.pid(), bytes);
        } finally {
            awaitExit(p);
        }
        return true;
    }

    /** Whether the VMM waits for an incoming migration (started with {@code -incoming defer}, state not loaded). */
    private static boolean incoming(QmpClient qmp) throws IOException {
        return "inmigrate".equals(qmp.execute(QmpCommand.QUERY_STATUS).path("status").asText());
    }

    private static void quit(String id, QmpClient qmp) {
        try {
            qmp.execute(QmpCommand.QUIT);
        } catch (IOException e) {
            log.debug("event=orphan_quit_reply_lost sandbox={} error=\"{}\"", id, e.getMessage());
        }
    }

    private static void awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            log.warn("event=orphan_vmm_killed pid={} reason=\"{}\"", p.pid(), e.getMessage());
        }
    }
}
