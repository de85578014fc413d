package dev.bhatti.engine.qemu;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.Transport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of one VM's agent: the client at the NIC's address holding the current token,
 * waiting for readiness, and the guest clock kept in step with the host's. The clock stands still
 * while the vCPUs are stopped; lags under {@link #CLOCK_SLACK} are summed, not synced one by one (a
 * sync is an agent round trip, several times the cost of the resume itself), so the guest clock is
 * never more than that behind after a wake. Its clock bookkeeping is called under the VM's lock.
 */
final class GuestLink {
    private static final Logger log = LoggerFactory.getLogger(GuestLink.class);
    static final Duration CLOCK_SLACK = Duration.ofMillis(100);

    private final String id;
    private volatile AgentClient client;
    private long clockLag;
    private long pausedAt;

    GuestLink(String id) {
        this.id = id;
    }

    /** The current client; null while the VMM is down. */
    AgentClient client() {
        return client;
    }

    /** A new client at {@code nic}'s agent address holding {@code token}; the previous one is closed. */
    void open(Nic nic, String token) {
        close();
        client = new AgentClient(nic instanceof Nic.User
                ? Transport.userModeForward(nic.agentHost(), nic.controlPort(), nic.forwardPort())
                : Transport.tcp(nic.agentHost(), nic.controlPort(), nic.forwardPort()), Optional.of(token));
    }

    void close() {
        AgentClient a = client;
        client = null;
        if (a != null) {
            try {
                a.close();
            } catch (IOException e) {
                log.debug("event=agent_close_failed sandbox={} error=\"{}\"", id, e.getMessage());
            }
        }
    }

    void awaitReady(Duration timeout) throws IOException {
        try {
            client.waitReady(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the agent of " + id, e);
        }
    }

    /**
     * Readiness after a restore, probed with RESTORED: the guest drops the connections the stop cut
     * and sets its clock, which stood still while cold.
     */
    void awaitReadyAfterRestore(Duration timeout) throws IOException {
        try {
            client.waitReadyAfterRestore(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the agent of " + id, e);
        }
    }

    /** The vCPUs stopped {@code agoNanos} ago (0: now). */
    void paused(long agoNanos) {
        pausedAt = System.nanoTime() - agoNanos;
    }

    /** The vCPUs run again: the lag since {@link #paused} is added, and synced once over the slack. */
    void resumed() {
        clockLag += System.nanoTime() - pausedAt;
        if (clockLag > CLOCK_SLACK.toNanos()) {
            syncClock();
        }
    }

    /** A new VMM booted the guest, or its clock was just set: no lag. */
    void inStep() {
        clockLag = 0;
    }

    /** Sets the guest clock to the host's; a failure is logged, not thrown (only the clock lags). */
    private void syncClock() {
        try {
            client.setClock(Instant.now());
            clockLag = 0;
        } catch (IOException e) {
            log.error("event=clock_sync_failed sandbox={} error=\"{}\"", id, e.getMessage());
        }
    }
}
