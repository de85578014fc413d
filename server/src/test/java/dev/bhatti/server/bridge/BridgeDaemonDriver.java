package dev.bhatti.server.bridge;

import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.Taps;
import dev.bhatti.proto.Json;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link BridgeDaemonTest} in a child JVM inside the test's network namespace: the daemon
 * with {@code network: bridge}, listening on every address of the namespace, two users' sandboxes
 * created through the API. Prints one {@code RESULT <check> <true|false>} line per check.
 */
public final class BridgeDaemonDriver {
    private int port;

    /** {@code args[0]}: the test's directory. */
    public static void main(String[] args) throws Exception {
        new BridgeDaemonDriver().run(Path.of(args[0]));
        System.out.println("DONE");
    }

    private void run(Path dir) throws Exception {
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("0.0.0.0:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(100)
                .withNetwork(new ServerConfig.Network(dev.bhatti.api.NetworkMode.BRIDGE, "10.200"));
        Daemon daemon = Daemon.start(config);
        String admin = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
        String bob;
        try (Store store = SqliteStore.open(config.dataDir())) {
            bob = new Users(store, new ApiKeys(), Clock.systemUTC()).create("bob", Limits.DEFAULT).apiKey();
        }
        try {
            port = daemon.port();
            for (String name : List.of("a1", "a2")) {
                send(admin, "POST", "/sandboxes", "{\"name\":\"" + name + "\"}");
            }
            send(bob, "POST", "/sandboxes", "{\"name\":\"b1\"}");
            String ipA1 = (String) send(admin, "GET", "/sandboxes/a1", null).get("ip");
            String ipA2 = (String) send(admin, "GET", "/sandboxes/a2", null).get("ip");
            String ipB1 = (String) send(bob, "GET", "/sandboxes/b1", null).get("ip");
            result("ipsShownPerUserSubnet", "10.200.0.2".equals(ipA1) && "10.200.0.3".equals(ipA2) && "10.200.1.2".equals(ipB1));
            result("sameUserTcp", tcp(admin, "a1", ipA2, 1024));
            result("otherUserTcp", tcp(bob, "b1", ipA1, 1024));
            result("apiPortFromVm", tcp(admin, "a1", "10.200.0.1", port));
            send(admin, "POST", "/sandboxes/a1/stop", "");
            result("execAfterStop", exitCode(admin, "a1", "true") == 0);
            HostCommands.local().run("make an orphan TAP", List.of("ip", "tuntap", "add", "dev", Taps.PREFIX + "0rphan0000", "mode", "tap"));
            daemon.shutdown();
            daemon.close();
            daemon = Daemon.start(config.withListen("0.0.0.0:" + port));
            result("orphanTapRemovedAtStart", !HostCommands.local().run("list links", List.of("ip", "-o", "link"))
                    .contains(Taps.PREFIX + "0rphan0000"));
            // Both were snapshotted by the shutdown; each request restores its sandbox onto its kept address.
            result("execAfterRestart", exitCode(admin, "a1", "true") == 0 && exitCode(admin, "a2", "true") == 0
                    && tcp(admin, "a2", ipA1, 1024));
            for (String name : List.of("a1", "a2")) {
                send(admin, "DELETE", "/sandboxes/" + name, null);
            }
            send(bob, "DELETE", "/sandboxes/b1", null);
            result("tapsRemovedAtDestroy", !HostCommands.local().run("list links", List.of("ip", "-o", "link")).contains(Taps.PREFIX));
        } finally {
            daemon.close();
        }
    }

    /** A JSON call through the SDK; an error answer is thrown as its {@code BhattiException}. */
    private Map<String, Object> send(String key, String method, String path, String body) {
        Object tree = body == null || body.isEmpty() ? null : dev.bhatti.sdk.Json.parse(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Bhatti.connect("http://127.0.0.1:" + port, key).raw()
                .call(method, path, tree);
        return json;
    }

    private int exitCode(String key, String sandbox, String... cmd) throws Exception {
        String argv = Json.mapper().writeValueAsString(List.of(cmd));
        return ((Number) send(key, "POST", "/sandboxes/" + sandbox + "/exec", "{\"cmd\":" + argv + "}").get("exit_code")).intValue();
    }

    private boolean tcp(String key, String sandbox, String address, int port) throws Exception {
        return exitCode(key, sandbox, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port) == 0;
    }

    private static void result(String check, boolean ok) {
        System.out.println("RESULT " + check + " " + ok);
        System.out.flush();
    }
}
