package dev.bhatti.agent.guest;

import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.OpenMode;
import dev.bhatti.agent.posix.SpawnRequest;
import dev.bhatti.agent.posix.Spawner;
import dev.bhatti.proto.IdentityRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a guest restored from another sandbox's memory its own place on the bridge (bridge mode,
 * IDENTITY's {@code network}): eth0's MAC and address are replaced and the default route set again.
 * It runs after IDENTITY is answered, since the host reached this guest at its source's address
 * until then; the host connects to the new address next. Taking the link down flushes the
 * guest's neighbour cache, so its first packet to the gateway asks for the gateway's MAC, and that
 * ARP request teaches the host the new address's MAC at once.
 */
public final class GuestNetwork {
    private static final Logger log = LoggerFactory.getLogger(GuestNetwork.class);
    private static final String DEV = "eth0";
    private static final Path BATCH = Path.of("/run/bhatti-renumber.ip");
    private static final Path LOG = Path.of("/run/bhatti-renumber.log");
    /** Lets the answer to IDENTITY leave from the old address before that address goes. */
    static final Duration AFTER_ANSWER = Duration.ofMillis(50);

    private GuestNetwork() {}

    /** Renumbers eth0 on a virtual thread, after {@link #AFTER_ANSWER}; failures are logged. */
    public static void renumberSoon(IdentityRequest.Network network) {
        Thread.ofVirtual().name("renumber").start(() -> {
            try {
                Thread.sleep(AFTER_ANSWER);
                renumber(network);
            } catch (IOException e) {
                log.error("event=renumber_failed address={} error=\"{}\"", network.address(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    static void renumber(IdentityRequest.Network n) throws IOException {
        long t0 = System.nanoTime();
        Files.writeString(BATCH, String.join("\n",
                "link set dev " + DEV + " down",
                "link set dev " + DEV + " address " + n.mac(),
                "addr flush dev " + DEV,
                "addr add " + n.address() + "/" + n.prefix() + " dev " + DEV,
                "link set dev " + DEV + " up",
                "route replace default via " + n.gateway()) + "\n", StandardCharsets.US_ASCII);
        Path ip = List.of(Path.of("/usr/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/sbin/ip")).stream()
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new IOException("no ip command in the guest"));
        int code = Spawner.spawn(new SpawnRequest(ip, List.of("ip", "-batch", BATCH.toString()), List.of("PATH=/usr/sbin:/usr/bin"),
                null, List.of(new FdAction.Open(Path.of("/dev/null"), 0, OpenMode.READ),
                new FdAction.Open(LOG, 1, OpenMode.WRITE_TRUNCATE), new FdAction.DupChild(1, 2)), false)).waitFor();
        if (code != 0) {
            throw new IOException("ip -batch exited " + code + ": " + Files.readString(LOG).strip());
        }
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] hello = "bhatti".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(hello, hello.length, InetAddress.getByName(n.gateway()), 9));
        }
        log.info("event=renumbered address={}/{} mac={} gateway={} ms={}", n.address(), n.prefix(), n.mac(), n.gateway(),
                (System.nanoTime() - t0) / 1_000_000);
    }
}
