package dev.bhatti.engine.net.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guests' resolver in the namespace mode: a UDP socket per sandbox on the host end of its veth
 * (port 53), which the namespace's rules send the guest's queries to 10.0.2.3 to. Each query is
 * asked of the upstream resolvers in turn (2 s each) and the answer relayed as it came. The
 * socket a query arrives on names the sandbox, so a {@link Hook} can decide and record per
 * sandbox; only UDP is served (a truncated answer's TCP retry is not).
 */
public final class DnsRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsRelay.class);
    private static final int TIMEOUT_MS = 2000;

    /** Sees every query and answer of a sandbox; may refuse a query. */
    public interface Hook {
        /** False refuses the query (REFUSED is answered, nothing is asked upstream). */
        boolean allow(String sandbox, DnsMessage.Question question);

        /** An upstream answer about to be relayed to {@code sandbox}. */
        void answered(String sandbox, DnsMessage.Question question, List<DnsMessage.Address> addresses);

        Hook NONE = new Hook() {
            public boolean allow(String sandbox, DnsMessage.Question question) {
                return true;
            }

            public void answered(String sandbox, DnsMessage.Question question, List<DnsMessage.Address> addresses) {}
        };
    }

    private final List<InetSocketAddress> upstreams;
    private volatile Hook hook = Hook.NONE;
    private final Map<String, DatagramSocket> sockets = new ConcurrentHashMap<>();

    public DnsRelay(List<InetSocketAddress> upstreams) {
        this.upstreams = List.copyOf(upstreams);
    }

    /** The nameservers of /etc/resolv.conf, port 53. */
    public static List<InetSocketAddress> systemUpstreams() {
        try {
            return Files.readAllLines(Path.of("/etc/resolv.conf")).stream().map(String::strip)
                    .filter(l -> l.startsWith("nameserver ")).map(l -> l.substring("nameserver ".length()).strip())
                    .filter(a -> !a.contains(":")).map(a -> new InetSocketAddress(a, 53)).toList();
        } catch (IOException e) {
            log.warn("event=dns_upstreams_unreadable error=\"{}\"", e.getMessage());
            return List.of();
        }
    }

    public void hook(Hook hook) {
        this.hook = hook;
    }

    /** Serves {@code sandbox}'s queries arriving at {@code address}:53; a no-op when already serving. */
    public void open(String sandbox, String address) {
        openShared(sandbox, address, from -> java.util.Optional.of(sandbox));
    }

    /**
     * Serves queries arriving at {@code address}:53 under {@code key} (bridge mode: one socket per
     * bridge), each for the sandbox {@code sandboxOf} names by its source address; a query from
     * no known sandbox is dropped. A no-op when {@code key} is already served.
     */
    public void openShared(String key, String address,
                           java.util.function.Function<InetAddress, java.util.Optional<String>> sandboxOf) {
        sockets.computeIfAbsent(key, s -> {
            try {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 53));
                Thread.ofVirtual().name("dns-" + key).start(() -> serve(key, socket, sandboxOf));
                return socket;
            } catch (IOException e) {
                log.error("event=dns_relay_unavailable relay={} address={} error=\"{}\"", key, address, e.getMessage());
                return null;
            }
        });
    }

    public void close(String sandbox) {
        DatagramSocket socket = sockets.remove(sandbox);
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public void close() {
        List.copyOf(sockets.keySet()).forEach(this::close);
    }

    private void serve(String key, DatagramSocket socket,
                       java.util.function.Function<InetAddress, java.util.Optional<String>> sandboxOf) {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("event=dns_receive_failed relay={} error=\"{}\"", key, e.getMessage());
                }
                continue;
            }
            byte[] query = java.util.Arrays.copyOf(in.getData(), in.getLength());
            InetSocketAddress from = (InetSocketAddress) in.getSocketAddress();
            java.util.Optional<String> of = sandboxOf.apply(from.getAddress());
            if (of.isEmpty()) {
                continue;
            }
            String sandbox = of.get();
            Thread.ofVirtual().name("dns-query-" + sandbox).start(() -> answer(sandbox, socket, query, from));
        }
    }

    private void answer(String sandbox, DatagramSocket socket, byte[] query, InetSocketAddress from) {
        var question = DnsMessage.question(query, query.length);
        if (question.isEmpty()) {
            return;
        }
        byte[] reply;
        if (!hook.allow(sandbox, question.get())) {
            reply = DnsMessage.refused(query, query.length);
        } else {
            reply = ask(query);
            if (reply == null) {
                return;
            }
            hook.answered(sandbox, question.get(), DnsMessage.addresses(reply, reply.length));
        }
        try {
            socket.send(new DatagramPacket(reply, reply.length, from));
        } catch (IOException e) {
            log.debug("event=dns_reply_failed sandbox={} error=\"{}\"", sandbox, e.getMessage());
        }
    }

    /** The first upstream answer with the query's id, or null when none answered. */
    private byte[] ask(byte[] query) {
        for (InetSocketAddress upstream : upstreams) {
            try (DatagramSocket out = new DatagramSocket()) {
                out.setSoTimeout(TIMEOUT_MS);
                out.send(new DatagramPacket(query, query.length, upstream));
                byte[] buf = new byte[4096];
                long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
                while (System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    out.receive(p);
                    if (p.getLength() >= 2 && buf[0] == query[0] && buf[1] == query[1]) {
                        return java.util.Arrays.copyOf(buf, p.getLength());
                    }
                }
            } catch (SocketTimeoutException e) {
                log.debug("event=dns_upstream_timeout upstream={}", upstream);
            } catch (SocketException e) {
                log.warn("event=dns_upstream_failed upstream={} error=\"{}\"", upstream, e.getMessage());
            } catch (IOException e) {
                log.warn("event=dns_upstream_failed upstream={} error=\"{}\"", upstream, e.getMessage());
            }
        }
        return null;
    }
}
