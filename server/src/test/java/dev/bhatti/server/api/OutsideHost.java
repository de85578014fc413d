package dev.bhatti.server.api;

import dev.bhatti.engine.net.HostCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * "The outside world" for network tests: a namespace of the test's own joined to the host by a
 * veth ({@code 198.51.100.1/24} here, {@link #ADDRESS} there), with TCP listeners that accept
 * anything. {@link #close} stops the listeners by pid and deletes the namespace.
 */
final class OutsideHost implements AutoCloseable {
    static final String ADDRESS = "198.51.100.2";
    private final String netns;
    private final List<Process> listeners = new ArrayList<>();

    OutsideHost(int... ports) throws IOException {
        String hex = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        netns = "bhatti-t-out-" + hex;
        String veth = "bhto" + hex;
        HostCommands host = HostCommands.local();
        host.run("outside namespace", List.of("ip", "netns", "add", netns));
        try {
            host.run("outside veth", List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns));
            host.feed("host side", "addr add 198.51.100.1/24 dev " + veth + "\nlink set " + veth + " up\n",
                    List.of("ip", "-batch", "-"));
            host.feed("outside side", "link set lo up\naddr add " + ADDRESS + "/24 dev eth0\nlink set eth0 up\n",
                    List.of("ip", "-n", netns, "-batch", "-"));
            for (int port : ports) {
                listeners.add(new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "nc", "-ll", "-p",
                        String.valueOf(port), "-e", "/bin/true").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Process p : listeners) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        HostCommands.local().attempt("delete outside namespace", "", List.of("ip", "netns", "delete", netns));
    }
}
