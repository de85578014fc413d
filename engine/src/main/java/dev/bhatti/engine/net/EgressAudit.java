package dev.bhatti.engine.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress audit log's source (decision 0024): every decision a namespace's table makes on a
 * guest's new connection is a kernel log line ({@link EgressRules#LOG_PREFIX}, level debug, so it
 * never reaches the console), read here from {@code /dev/kmsg} and handed on as an {@link Event}
 * of the sandbox whose veth key it carries. Lines from before the engine started, and keys of
 * other engines on the host, are skipped. Logging from inside namespaces needs
 * {@code net.netfilter.nf_log_all_netns=1}, which {@link SandboxNetworks} sets.
 */
public final class EgressAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EgressAudit.class);
    private static final Path KMSG = Path.of("/dev/kmsg");

    /** One egress attempt: a new connection (tcp, udp, icmp, ...) or a name asked of the relay (dns). */
    public record Event(String sandboxId, Instant at, String protocol, String address, Integer port, String domain,
                        boolean allowed) {}

    private final Map<String, String> sandboxByKey = new ConcurrentHashMap<>();
    private volatile Consumer<Event> sink = e -> {};
    /** The name a sandbox last resolved to an address (sandbox, address → domain). */
    private volatile java.util.function.BiFunction<String, String, Optional<String>> domains = (s, a) -> Optional.empty();
    private volatile boolean closed;
    private FileChannel kmsg;
    private Thread reader;

    /** Starts reading the kernel log (when there is one to read: else the log holds only DNS). */
    void start() {
        if (!Files.isReadable(KMSG)) {
            log.warn("event=egress_audit_unavailable reason=\"{} is not readable\"", KMSG);
            return;
        }
        long startedMicros = uptimeMicros();
        try {
            kmsg = FileChannel.open(KMSG);
        } catch (IOException e) {
            log.warn("event=egress_audit_unavailable error=\"{}\"", e.getMessage());
            return;
        }
        reader = Thread.ofPlatform().daemon().name("egress-audit").start(() -> read(startedMicros));
    }

    /** Where events go (the daemon's store). */
    public void sink(Consumer<Event> sink) {
        this.sink = sink;
    }

    void domains(java.util.function.BiFunction<String, String, Optional<String>> domains) {
        this.domains = domains;
    }

    void track(String key, String sandboxId) {
        sandboxByKey.put(key, sandboxId);
    }

    void untrack(String key) {
        sandboxByKey.remove(key);
    }

    /** Hands on an event the engine saw itself (the DNS relay's). */
    void emit(Event e) {
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            log.error("event=egress_audit_sink_failed error=\"{}\"", ex.getMessage());
        }
    }

    private void read(long startedMicros) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long bootMillis = System.currentTimeMillis() - startedMicros / 1000;
        while (!closed) {
            int n;
            try {
                buf.clear();
                n = kmsg.read(buf);
            } catch (ClosedChannelException e) {
                return; // closed (or interrupted) by close()
            } catch (IOException e) {
                continue; // EPIPE: lines were overwritten before we read them; go on with the next
            }
            if (n < 0) {
                return;
            }
            parse(new String(buf.array(), 0, n, StandardCharsets.UTF_8), startedMicros, bootMillis)
                    .map(e -> new Event(e.sandboxId(), e.at(), e.protocol(), e.address(), e.port(),
                            domains.apply(e.sandboxId(), e.address()).orElse(null), e.allowed()))
                    .ifPresent(this::emit);
        }
    }

    /** An event of a tracked sandbox in one {@code /dev/kmsg} record, if it is one. */
    Optional<Event> parse(String record, long startedMicros, long bootMillis) {
        int semi = record.indexOf(';');
        int at = record.indexOf(EgressRules.LOG_PREFIX);
        if (semi < 0 || at < 0) {
            return Optional.empty();
        }
        String[] head = record.substring(0, semi).split(",");
        long micros = head.length > 2 ? parseLong(head[2], 0) : 0;
        if (micros < startedMicros) {
            return Optional.empty();
        }
        String[] words = record.substring(at + EgressRules.LOG_PREFIX.length()).strip().split("\\s+");
        if (words.length < 2) {
            return Optional.empty();
        }
        String sandbox = sandboxByKey.get(words[0]);
        if (sandbox == null) {
            return Optional.empty();
        }
        String dst = field(words, "DST="), proto = field(words, "PROTO="), dpt = field(words, "DPT=");
        if (dst == null || proto == null) {
            return Optional.empty();
        }
        Integer port = dpt == null ? null : (int) parseLong(dpt, 0);
        return Optional.of(new Event(sandbox, Instant.ofEpochMilli(bootMillis + micros / 1000), proto.toLowerCase(),
                dst, port, null, words[1].equals("A")));
    }

    private static String field(String[] words, String key) {
        for (String w : words) {
            if (w.startsWith(key)) {
                return w.substring(key.length());
            }
        }
        return null;
    }

    private static long parseLong(String s, long fallback) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Microseconds since boot, the clock of {@code /dev/kmsg}. */
    static long uptimeMicros() {
        try {
            String up = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
            return (long) (Double.parseDouble(up) * 1_000_000);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (reader != null) {
            reader.interrupt(); // a FileChannel read is interruptible: the channel closes
        }
    }
}
