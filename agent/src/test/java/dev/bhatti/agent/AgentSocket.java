package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw protocol connection to a test-mode lohar, for agent tests: frames are
 * read by a background thread so every wait has a deadline.
 */
public final class AgentSocket implements AutoCloseable {
    /** Default deadline for one expected frame. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private sealed interface Item {
        record Got(Frame frame) implements Item {}
        record End() implements Item {}
        record Failed(IOException error) implements Item {}
    }

    private final SocketChannel channel;
    private final FrameWriter out;
    private final BlockingQueue<Item> inbox = new LinkedBlockingQueue<>();

    private AgentSocket(SocketChannel channel) {
        this.channel = channel;
        this.out = new FrameWriter(Channels.newOutputStream(channel));
        FrameReader in = new FrameReader(Channels.newInputStream(channel));
        Thread.ofVirtual().start(() -> {
            try {
                for (Optional<Frame> f = in.next(); f.isPresent(); f = in.next()) {
                    inbox.add(new Item.Got(f.get()));
                }
                inbox.add(new Item.End());
            } catch (IOException e) {
                inbox.add(new Item.Failed(e));
            }
        });
    }

    public static AgentSocket open(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new AgentSocket(ch);
    }

    public static AgentSocket control(LoharProcess lohar) throws IOException {
        return open(lohar.controlSocket());
    }

    public AgentSocket send(FrameType type, byte[] payload) throws IOException {
        out.write(type, payload);
        return this;
    }

    public AgentSocket send(FrameType type) throws IOException {
        out.write(type);
        return this;
    }

    public AgentSocket sendJson(FrameType type, Object value) throws IOException {
        out.sendJson(type, value);
        return this;
    }

    public AgentSocket stdin(String text) throws IOException {
        return send(FrameType.STDIN, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeRaw(byte[] bytes) throws IOException {
        Channels.newOutputStream(channel).write(bytes);
    }

    /** The next frame, or empty when the agent closed the connection; fails after the deadline. */
    public Optional<Frame> next(Duration timeout) throws IOException, InterruptedException {
        Item item = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no frame from lohar within " + timeout);
        }
        return switch (item) {
            case Item.Got g -> Optional.of(g.frame());
            case Item.End e -> {
                inbox.add(e);
                yield Optional.empty();
            }
            case Item.Failed f -> {
                inbox.add(f);
                yield Optional.empty();
            }
        };
    }

    public Frame next() throws IOException, InterruptedException {
        return next(WAIT).orElseThrow(() -> new AssertionError("lohar closed the connection"));
    }

    /** Reads the next frame and checks its type. */
    public Frame expect(FrameType type) throws IOException, InterruptedException {
        Frame f = next();
        assertThat(f.kind()).as("frame %s (payload %s)", f, f.text()).contains(type);
        return f;
    }

    public <T> T expectJson(FrameType type, Class<T> as) throws Exception {
        return Json.decode(expect(type).payload(), as);
    }

    /** Expects an ERROR frame and returns its message. */
    public String expectError() throws IOException, InterruptedException {
        return expect(FrameType.ERROR).text();
    }

    /** True once the agent has closed the connection (no more frames). */
    public boolean closedByAgent(Duration timeout) throws IOException, InterruptedException {
        return next(timeout).isEmpty();
    }

    /** Output collected until EXIT. */
    public record Result(String stdout, String stderr, int exitCode) {}

    /** Collects STDOUT and STDERR until EXIT; fails on ERROR. */
    public Result collect() throws IOException, InterruptedException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        while (true) {
            Frame f = next();
            switch (f.kind().orElseThrow()) {
                case STDOUT -> o.writeBytes(f.payload());
                case STDERR -> e.writeBytes(f.payload());
                case EXIT -> {
                    return new Result(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8),
                            Payloads.exit(f.payload()));
                }
                case ERROR -> throw new AssertionError("agent error: " + f.text());
                default -> throw new AssertionError("unexpected frame " + f);
            }
        }
    }

    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
