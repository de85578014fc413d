package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.qemu.qmp.QmpClient;
import dev.bhatti.engine.qemu.qmp.QmpCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running QEMU process and its QMP connection. An exit nobody asked for (crash, SIGKILL) is
 * reported once to {@code onUnexpectedExit} with this VMM; {@link #quit} and {@link #kill} are expected exits.
 */
final class Vmm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Vmm.class);
    private static final Duration QMP_READY = Duration.ofSeconds(20);

    private final String id;
    private final Process process;
    private final QmpClient qmp;
    private final AtomicBoolean expectingExit = new AtomicBoolean();

    private Vmm(String id, Process process, QmpClient qmp) {
        this.id = id;
        this.process = process;
        this.qmp = qmp;
    }

    /** Starts QEMU with {@code command} and connects to its QMP socket. */
    static Vmm launch(String id, QemuCommand command, Path qemu, BiConsumer<Vmm, String> onUnexpectedExit) throws IOException {
        SandboxDir dir = command.dir();
        java.nio.file.Files.deleteIfExists(dir.qmpSocket());
        OwnerOnly.file(dir.vmmLog());
        List<String> args = OwnerOnly.withUmask(command.args(qemu));
        if (command.incoming() && Snapshots.mode(dir) == Snapshots.Mode.FULL) {
            // A full stream is read from an inherited descriptor: a pipe (exec:cat) makes QEMU
            // yield at every 64 KiB, which made loading 160 MB take ~1.5 s.
            args.set(2, args.get(2) + " " + Snapshots.STREAM_FD + "< " + Snapshots.quoted(dir.state()));
        }
        Process process = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.vmmLog().toFile())).start();
        process.getOutputStream().close();
        QmpClient qmp;
        try {
            qmp = QmpClient.connect(id, dir.qmpSocket(), QMP_READY, process::isAlive);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        Vmm vmm = new Vmm(id, process, qmp);
        process.onExit().thenAccept(p -> vmm.exited(p, onUnexpectedExit));
        log.info("event=vmm_started sandbox={} pid={} incoming={}", id, process.pid(), command.incoming());
        return vmm;
    }

    private void exited(Process p, BiConsumer<Vmm, String> onUnexpectedExit) {
        if (!expectingExit.get()) {
            String why = "VMM (pid " + p.pid() + ") exited unexpectedly with status " + p.exitValue();
            log.error("event=vmm_died sandbox={} reason=\"{}\"", id, why);
            onUnexpectedExit.accept(this, why);
        }
    }

    QmpClient qmp() {
        return qmp;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Asks QEMU to quit and waits for the process; kills it if it does not go within 10 s. */
    void quit() {
        expectingExit.set(true);
        try {
            qmp.execute(QmpCommand.QUIT);
        } catch (IOException e) {
            log.debug("event=vmm_quit_reply_lost sandbox={} error=\"{}\"", id, e.getMessage());
        }
        awaitExit(Duration.ofSeconds(10));
    }

    /** Kills QEMU at once (destroy, failed create) and waits for it. */
    void kill() {
        expectingExit.set(true);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new EngineException.VmmFailed("sandbox " + id + ": VMM pid " + process.pid() + " did not exit", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.VmmFailed("sandbox " + id + ": interrupted waiting for the VMM to exit", e);
        } finally {
            closeQmp();
        }
    }

    private void closeQmp() {
        try {
            qmp.close();
        } catch (IOException e) {
            log.debug("event=qmp_close_failed sandbox={} error=\"{}\"", id, e.getMessage());
        }
    }

    @Override
    public void close() {
        kill();
    }
}
