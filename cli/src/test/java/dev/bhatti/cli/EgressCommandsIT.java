package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.cli.CliFixture.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bhatti network} and {@code bhatti egress} against a real daemon and VM (decision 0024). */
class EgressCommandsIT {
    private static CliFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new CliFixture();
        Run created = bhatti("create", "--name", "netcli");
        assertThat(created.exit()).as(created.err()).isZero();
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static Run bhatti(String... args) throws Exception {
        return fx.run(Path.of("/dev/null"), fx.token, args);
    }

    @Test
    void eventsPrintsTheRetainedEventsThenEachNewOneAsItHappens() throws Exception {
        var following = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return fx.timed(fx.token, "events", "--sandbox", "netcli", "--after", "0", "--count", "2");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the retained "created" comes first; the stop below makes the second line
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
        Run stopped = bhatti("stop", "netcli");
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        CliFixture.TimedRun run = following.get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(run.exit()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0).line()).contains("created").contains("netcli").contains("cause=api");
        assertThat(run.lines().get(1).line()).contains("stopped").contains("netcli").contains("hot→cold").contains(" ms");
        assertThat(run.lines().get(1).millis() - run.lines().get(0).millis())
                .as("the first line was printed as it came, seconds before the stop made the second").isGreaterThan(2000);
        assertThat(bhatti("start", "netcli").exit()).isZero();
    }

    @Test
    void networkShowsAndReplacesThePolicyAndEgressShowsTheDeniedAttempt() throws Exception {
        Run shown = bhatti("network", "netcli");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("allow_out: -").contains("block_all: false");

        Run set = bhatti("network", "netcli", "--allow-out", "10.99.0.0/24:8080", "--deny-out", "198.51.100.7");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("allow_out: 10.99.0.0/24:8080").contains("deny_out:  198.51.100.7");

        Run bad = bhatti("network", "netcli", "--deny-out", "no such host");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("deny_out[0]").contains("no such host");
        assertThat(bhatti("network", "netcli").out()).as("a refused change changes nothing").contains("198.51.100.7");

        Run tried = bhatti("exec", "netcli", "--", "bash", "-c", "timeout 2 bash -c 'exec 3<>/dev/tcp/10.0.2.2/9' || echo refused");
        assertThat(tried.out()).contains("refused");
        String table = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !(table.contains("10.0.2.2") && table.contains("denied"))) {
            table = bhatti("egress", "netcli").out();
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        assertThat(table).startsWith("TIME").contains("PROTO").contains("VERDICT");
        assertThat(table.lines().filter(l -> l.contains("10.0.2.2") && l.contains(" 9 ") && l.contains("denied")))
                .as("the attempt at the gateway, as a row").isNotEmpty();
        JsonNode json = new ObjectMapper().readTree(bhatti("egress", "netcli", "--json").out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.findValuesAsText("verdict")).contains("denied");

        Run open = bhatti("network", "netcli", "--open");
        assertThat(open.out()).contains("allow_out: -").contains("deny_out:  -").contains("block_all: false");
    }
}
