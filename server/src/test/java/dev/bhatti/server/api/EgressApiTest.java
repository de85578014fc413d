package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.model.EgressEntry;
import dev.bhatti.api.model.NetworkPolicy;
import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.api.model.TemplateRequest;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.BhattiException;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Egress policies and the audit log through the API and the SDK, on real VMs in the default
 * (netns) network mode (decision 0024): enforced from the guest's first instruction, logged,
 * changed live by PATCH, taken by forks and from templates, kept with the log across a restart.
 * "The outside" is a namespace of the test's own ({@link OutsideHost}).
 */
class EgressApiTest {
    private static final String OUTSIDE = OutsideHost.ADDRESS;
    private static DaemonFixture fx;
    private static OutsideHost outside;
    private static ServerSocket hostService;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        outside = new OutsideHost(8080, 8081);
        hostService = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        fx = new DaemonFixture();
        key = fx.newUser("walled", new Limits(10, 4, 4096, 1 << 20));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            fx.close();
        } finally {
            outside.close();
            hostService.close();
        }
    }

    private static Bhatti client() {
        return fx.client(key);
    }

    private static boolean reaches(Sandbox sb, String host, int port) {
        return sb.exec("bash", "-c", "timeout 3 bash -c 'exec 3<>/dev/tcp/" + host + "/" + port
                + "' 2>/dev/null && echo reached").stdout().equals("reached\n");
    }

    /** The log once an entry matching {@code wanted} shows (the kernel's lines are read asynchronously). */
    private static List<EgressEntry> awaitLog(Sandbox sb, Predicate<EgressEntry> wanted, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<EgressEntry> log;
        do {
            log = sb.egress();
            if (log.stream().anyMatch(wanted)) {
                return log;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no egress entry " + what + " in " + log);
    }

    private static Predicate<EgressEntry> entry(String address, int port, String verdict) {
        return e -> e.protocol().equals("tcp") && e.address().equals(address) && Integer.valueOf(port).equals(e.port())
                && e.verdict().equals(verdict);
    }

    @Test
    void aPolicyIsEnforcedLoggedChangedLiveAndKeptAcrossARestart() throws Exception {
        Sandbox sb = client().sandboxes().create(SandboxSpec.builder().name("walled")
                .network(NetworkPolicy.allowOnly(OUTSIDE + ":8080")).build());
        assertThat(sb.view().network()).isEqualTo(NetworkPolicy.allowOnly(OUTSIDE + ":8080"));
        assertThat(reaches(sb, OUTSIDE, 8080)).as("allowed address and port").isTrue();
        assertThat(reaches(sb, OUTSIDE, 8081)).as("block_all: another port of the allowed address").isFalse();
        assertThat(reaches(sb, "10.0.2.2", hostService.getLocalPort())).as("the gateway").isFalse();
        assertThat(reaches(sb, "198.51.100.1", hostService.getLocalPort())).as("a host address").isFalse();
        assertThat(reaches(sb, "10.0.2.2", fx.daemon.port())).as("the daemon's API port through the gateway").isFalse();

        List<EgressEntry> log = awaitLog(sb, entry(OUTSIDE, 8081, "denied"), "denied to :8081");
        assertThat(log).anyMatch(entry(OUTSIDE, 8080, "allowed")).anyMatch(entry("198.51.100.1", hostService.getLocalPort(), "denied"))
                .as("attempts at the gateway are audited too").anyMatch(entry("10.0.2.2", fx.daemon.port(), "denied"));
        for (int i = 1; i < log.size(); i++) {
            assertThat(Instant.parse(log.get(i - 1).at())).as("newest first").isAfterOrEqualTo(Instant.parse(log.get(i).at()));
        }

        Instant patched = Instant.now().minusSeconds(1);
        assertThat(sb.network(NetworkPolicy.denying("198.51.100.0/24")).network())
                .isEqualTo(NetworkPolicy.denying("198.51.100.0/24"));
        assertThat(reaches(sb, OUTSIDE, 8080)).as("deny_out set live").isFalse();
        awaitLog(sb, entry(OUTSIDE, 8080, "denied"), "denied to :8080 after the PATCH");
        assertThat(sb.egress(patched)).as("since").allMatch(e -> !Instant.parse(e.at()).isBefore(patched));

        fx.restart();
        Sandbox again = client().sandboxes().named("walled");
        assertThat(again.refresh().network()).as("the policy after a restart").isEqualTo(NetworkPolicy.denying("198.51.100.0/24"));
        assertThat(again.egress()).as("the log after a restart").anyMatch(entry(OUTSIDE, 8080, "allowed"));
        assertThat(reaches(again, OUTSIDE, 8080)).as("still denied after the restart").isFalse();
        again.network(NetworkPolicy.open());
        assertThat(reaches(again, OUTSIDE, 8080)).as("open again").isTrue();
        again.destroy();
    }

    @Test
    void forksAndTemplatesCarryThePolicy() {
        client().templates().create(new TemplateRequest("closed", null, null, null, null, null, null,
                NetworkPolicy.allowOnly(OUTSIDE + ":8081")));
        Sandbox fromTemplate = client().sandboxes().create(SandboxSpec.builder().name("templated").templateId("closed").build());
        try {
            assertThat(fromTemplate.view().network()).isEqualTo(NetworkPolicy.allowOnly(OUTSIDE + ":8081"));
            assertThat(reaches(fromTemplate, OUTSIDE, 8080)).isFalse();
            Sandbox child = fromTemplate.fork(1, "templated-kid").getFirst();
            try {
                assertThat(child.refresh().network()).as("a fork's policy is its parent's")
                        .isEqualTo(NetworkPolicy.allowOnly(OUTSIDE + ":8081"));
                assertThat(reaches(child, OUTSIDE, 8080)).as("and is enforced").isFalse();
                assertThat(reaches(child, OUTSIDE, 8081)).isTrue();
            } finally {
                child.destroy();
            }
        } finally {
            fromTemplate.destroy();
        }
    }

    @Test
    void aBadEntryIsRefusedByNameAndCreatesNothing() {
        assertThatThrownBy(() -> client().sandboxes().create(SandboxSpec.builder().name("never")
                .network(new NetworkPolicy(List.of("10.0.0.0/8", "exa mple.com"), List.of(), false)).build()))
                .isInstanceOfSatisfying(BhattiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NETWORK_POLICY);
                    assertThat(e.getMessage()).contains("network.allow_out[1]").contains("exa mple.com");
                });
        assertThat(client().sandboxes().list()).noneMatch(s -> s.name().equals("never"));
    }

    @Test
    void aDaemonInUserModeRefusesAPolicyItCannotEnforce() throws Exception {
        try (DaemonFixture user = new DaemonFixture(c -> c.withNetwork(
                new ServerConfig.Network(dev.bhatti.api.NetworkMode.USER, "10.200")))) {
            Bhatti admin = user.client(user.adminKey);
            assertThatThrownBy(() -> admin.sandboxes().create(SandboxSpec.builder().name("leaky")
                    .network(NetworkPolicy.allowOnly("1.1.1.1")).build()))
                    .isInstanceOfSatisfying(BhattiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_POLICY_UNSUPPORTED);
                        assertThat(e.status()).isEqualTo(409);
                    });
            assertThat(admin.sandboxes().list()).isEmpty();
        }
    }
}
