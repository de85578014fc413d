package dev.bhatti.engine.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small QMP client: JSON lines over QEMU's Unix socket. Commands carry an {@code id} and are
 * matched to their replies; asynchronous events are logged. When the socket closes (QEMU exited),
 * every pending and later command fails with {@link QmpException}.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final SocketChannel channel;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String closedBecause;

    private QmpClient(String name, SocketChannel channel) {
        this.name = name;
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * Connects to the QMP socket, retrying while QEMU has not created it yet, reads the greeting
     * and negotiates capabilities.
     */
    public static QmpClient connect(String name, Path socket, Duration timeout, BooleanSupplier vmmAlive)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!vmmAlive.getAsBoolean()) {
                throw new QmpException(name + ": the VMM exited before its QMP socket answered");
            }
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return handshake(name, ch, timeout);
            } catch (IOException e) {
                last = e;
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        }
        throw new QmpException(name + ": QMP socket " + socket + " not ready within " + timeout
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static QmpClient handshake(String name, SocketChannel ch, Duration timeout) throws IOException {
        QmpClient qmp = new QmpClient(name, ch);
        CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
        qmp.pending.put("greeting", greeting);
        Thread.ofVirtual().name("qmp-" + name).start(qmp::readLoop);
        qmp.await("greeting", greeting, timeout);
        qmp.execute(QmpCommand.QMP_CAPABILITIES);
        return qmp;
    }

    /** Runs a command without arguments; answers its {@code return} value. */
    public JsonNode execute(QmpCommand command) throws IOException {
        return execute(command, Map.of());
    }

    /** Runs a command; answers its {@code return} value or throws the QMP error's description. */
    public JsonNode execute(QmpCommand command, Map<String, ?> arguments) throws IOException {
        return execute(command, arguments, Duration.ofSeconds(30));
    }

    public JsonNode execute(QmpCommand command, Map<String, ?> arguments, Duration timeout) throws IOException {
        String id = Long.toString(ids.incrementAndGet());
        ObjectNode request = JSON.createObjectNode().put("execute", command.wire()).put("id", id);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        send(request, id);
        JsonNode answer = await(command.wire(), reply, timeout);
        if (answer.has("error")) {
            throw new QmpException(name + ": " + command.wire() + ": " + answer.path("error").path("desc").asText());
        }
        return answer.path("return");
    }

    private void send(ObjectNode request, String id) throws IOException {
        if (closedBecause != null) {
            pending.remove(id);
            throw new QmpException(name + ": QMP closed: " + closedBecause);
        }
        byte[] line = (request + "\n").getBytes(StandardCharsets.UTF_8);
        writeLock.lock();
        try {
            out.write(line);
        } catch (IOException e) {
            pending.remove(id);
            throw new QmpException(name + ": QMP write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private JsonNode await(String what, CompletableFuture<JsonNode> reply, Duration timeout) throws IOException {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(name + ": " + what + ": no QMP reply within " + timeout);
        } catch (ExecutionException e) {
            throw new QmpException(name + ": " + what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(name + ": " + what + ": interrupted");
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                dispatch(JSON.readTree(line));
            }
            failAll("QEMU closed the QMP socket");
        } catch (IOException e) {
            failAll("QMP read failed: " + e.getMessage());
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("QMP")) {
            complete("greeting", message);
        } else if (message.has("event")) {
            log.debug("event=qmp_event vm={} qmp_event={}", name, message.path("event").asText());
        } else if (message.has("id")) {
            complete(message.path("id").asText(), message);
        } else {
            log.warn("event=qmp_unmatched vm={} message={}", name, message);
        }
    }

    private void complete(String id, JsonNode message) {
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f != null) {
            f.complete(message);
        }
    }

    private void failAll(String reason) {
        closedBecause = reason;
        pending.values().forEach(f -> f.completeExceptionally(new QmpException(reason)));
        pending.clear();
    }

    public boolean isOpen() {
        return closedBecause == null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
