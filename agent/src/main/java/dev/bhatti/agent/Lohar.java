package dev.bhatti.agent;

import dev.bhatti.agent.floor.SpawnFloor;
import dev.bhatti.agent.guest.GuestBoot;
import dev.bhatti.agent.posix.GuestSystem;
import dev.bhatti.agent.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lohar, the guest agent. Modes:
 * <ul>
 *   <li>{@code lohar guest [--config-device /dev/vdb]}: inside the VM (SPEC §2.1): boot duties, then
 *       TCP :1024/:1025; on SIGTERM syncs and powers off.</li>
 *   <li>{@code lohar test-mode --control-socket P --forward-socket P [...]}: the whole protocol on two
 *       Unix sockets, no VM (flags in {@link TestModeFlags}).</li>
 *   <li>{@code lohar self-test}: serves in test mode on temporary sockets, drives one of every kind
 *       of request through it and exits 0 when all answered right (image builds train the AOT cache
 *       with it).</li>
 *   <li>{@code lohar floor [--count N]}: prints p50/p95/p99 of spawn+wait of /bin/true, the floor of
 *       exec latency on this machine.</li>
 * </ul>
 * Once serving, prints one line starting with {@link #READY}.
 */
public final class Lohar {
    /** The line printed once both listeners accept connections. */
    public static final String READY = "lohar ready";
    private static final Logger log = LoggerFactory.getLogger(Lohar.class);

    private Lohar() {}

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        if (args.length == 0) {
            TestModeFlags.usage("missing mode");
        }
        Map<String, String> flags = TestModeFlags.parse(args);
        switch (args[0]) {
            case "test-mode" -> serve(TestModeFlags.options(flags), false, mainNanos);
            case "guest" -> serve(new GuestBoot(Path.of(flags.getOrDefault("config-device", "/dev/vdb")),
                    Path.of("/run/bhatti/config")).boot(), true, mainNanos);
            case "self-test" -> System.exit(SelfTest.run());
            case "floor" -> System.out.println("floor spawn+wait /bin/true "
                    + SpawnFloor.measure(Integer.parseInt(flags.getOrDefault("count", "200"))).summary());
            default -> TestModeFlags.usage("unknown mode " + args[0]);
        }
    }

    private static void serve(AgentOptions options, boolean powerOffOnExit, long mainNanos)
            throws IOException, InterruptedException {
        AgentServer server = AgentServer.start(options);
        long jvmMillis = ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
        log.info("event=serving since_process_start_ms={} since_main_ms={}", jvmMillis,
                (System.nanoTime() - mainNanos) / 1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(server, powerOffOnExit);
            stopped.countDown();
        }));
        System.out.println(READY + " control=" + server.controlAddress() + " forward=" + server.forwardAddress());
        System.out.flush();
        stopped.await();
    }

    private static void stop(AgentServer server, boolean powerOff) {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("event=shutdown_close_failed error=\"{}\"", e.getMessage());
        }
        if (powerOff) {
            Posix.sync();
            try {
                GuestSystem.powerOff();
            } catch (IOException e) {
                log.error("event=power_off_failed error=\"{}\"", e.getMessage());
            }
        }
    }
}
