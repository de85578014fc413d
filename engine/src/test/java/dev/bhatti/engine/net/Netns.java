package dev.bhatti.engine.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A network namespace of the test's own ({@code bhatti-t-<random>}) with loopback up, plus any
 * namespaces hung off it ("fake VMs" on a bridge through a veth, an "outside" host) and listeners
 * started in them. {@link #close} deletes all of it and stops the listeners by pid. A machine that
 * cannot create namespaces skips the test with the reason.
 */
final class Netns implements AutoCloseable {
    final String name;
    final HostCommands host;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> listeners = new ArrayList<>();
    private int veths;

    private Netns(String name) {
        this.name = name;
        this.host = HostCommands.in(name);
    }

    /** A fresh namespace; aborts (skips) the test when the machine cannot create one. */
    static Netns create() {
        String name = "bhatti-t-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        HostCommands.Result r = HostCommands.local().attempt("create namespace", "", List.of("ip", "netns", "add", name));
        assumeTrue(r.ok(), () -> "skipped: this machine cannot create a network namespace (ip netns add " + name
                + " exited " + r.exit() + ": " + r.output().strip() + ")");
        Netns ns = new Netns(name);
        ns.namespaces.add(name);
        ns.host.run("bring up loopback", List.of("ip", "link", "set", "lo", "up"));
        return ns;
    }

    /** A namespace standing in for a VM: eth0 with {@code address}/24 on {@code bridge}, default route via {@code gateway}. */
    HostCommands fakeVm(String suffix, String bridge, String address, String gateway) {
        HostCommands vm = peer(suffix);
        String veth = vethInto(suffix);
        host.run("attach veth", List.of("ip", "link", "set", veth, "master", bridge, "up"));
        configure(vm, "eth0", address + "/24");
        vm.run("default route", List.of("ip", "route", "add", "default", "via", gateway));
        return vm;
    }

    /** A namespace standing in for a host outside: {@code address}/24 on a veth whose peer here has {@code here}/24; no route back. */
    HostCommands outside(String suffix, String here, String address) {
        HostCommands out = peer(suffix);
        String veth = vethInto(suffix);
        configure(host, veth, here + "/24");
        configure(out, "eth0", address + "/24");
        return out;
    }

    /** Starts a TCP listener on {@code port} in {@code where} that accepts any number of connections. */
    void listen(HostCommands where, int port) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", where.netns().orElseThrow()));
        cmd.addAll(List.of("busybox", "nc", "-ll", "-p", Integer.toString(port), "-e", "/bin/true"));
        try {
            listeners.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a listener in " + where.netns().orElseThrow(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!connects(where, "127.0.0.1", port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("listener on port " + port + " in " + where.netns().orElseThrow() + " did not come up");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Whether a TCP connection from {@code from} to address:port is established within 2 s. */
    static boolean connects(HostCommands from, String address, int port) {
        return from.attempt("connect to " + address + ":" + port, "", List.of("timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port)).ok();
    }

    /** Whether one ping from {@code from} to {@code address} is answered within 1 s. */
    static boolean pings(HostCommands from, String address) {
        return from.attempt("ping " + address, "", List.of("busybox", "ping", "-c", "1", "-W", "1", address)).ok();
    }

    private HostCommands peer(String suffix) {
        String peer = name + "-" + suffix;
        HostCommands.local().run("create namespace " + peer, List.of("ip", "netns", "add", peer));
        namespaces.add(peer);
        HostCommands in = HostCommands.in(peer);
        in.run("bring up loopback", List.of("ip", "link", "set", "lo", "up"));
        return in;
    }

    /** A veth pair: its end here (returned) and {@code eth0} in namespace {@code <name>-<suffix>}. */
    private String vethInto(String suffix) {
        String veth = "bhv" + (veths++);
        host.run("create veth for " + suffix, List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0",
                "netns", name + "-" + suffix));
        return veth;
    }

    private static void configure(HostCommands where, String dev, String cidr) {
        where.run("address " + dev, List.of("ip", "addr", "add", cidr, "dev", dev));
        where.run("bring up " + dev, List.of("ip", "link", "set", dev, "up"));
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
        List<String> failures = new ArrayList<>();
        for (String ns : namespaces.reversed()) {
            HostCommands.Result r = HostCommands.local().attempt("delete namespace", "", List.of("ip", "netns", "delete", ns));
            if (!r.ok()) {
                failures.add(ns + ": " + r.output().strip());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("cannot delete test namespaces: " + failures);
        }
    }
}
