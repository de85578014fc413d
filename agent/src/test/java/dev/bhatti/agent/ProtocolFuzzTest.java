package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import dev.bhatti.proto.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random, truncated and oversized frames at a real lohar: it
 * never crashes, answers each bad connection with ERROR or a close, keeps
 * serving good connections, and its thread and child counts return to baseline.
 */
class ProtocolFuzzTest {
    private static final int CONNECTIONS = 3000;
    private static final Set<FrameType> HARMLESS_ANSWERS =
            EnumSet.of(FrameType.ERROR, FrameType.EXEC_LIST_RESP, FrameType.ACTIVITY_RESP);

    @Test
    void randomFramesNeverHurtTheAgent() throws Exception {
        fuzz(Optional.empty());
    }

    @Test
    void randomFramesBeforeAuthAreAllRefused() throws Exception {
        fuzz(Optional.of("feedfacefeedfacefeedfacefeedface"));
    }

    private void fuzz(Optional<String> token) throws Exception {
        String[] flags = token.map(t -> new String[] {"--token", t}).orElse(new String[0]);
        try (LoharProcess lohar = LoharProcess.start(flags)) {
            goodExecWorks(lohar, token);
            int baselineThreads = threads(lohar.pid());
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger closedEarly = new AtomicInteger();
            try (var pool = Executors.newFixedThreadPool(4)) {
                java.util.List<Future<?>> runs = new java.util.ArrayList<>();
                for (int worker = 0; worker < 4; worker++) {
                    long seed = 1000L * worker + token.map(String::hashCode).orElse(0);
                    runs.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < CONNECTIONS / 4; i++) {
                            (oneBadConnection(lohar, random, token.isPresent()) ? answered : closedEarly)
                                    .incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get();
                }
            }
            assertThat(answered.get() + closedEarly.get()).isEqualTo(CONNECTIONS);
            assertThat(answered.get()).as("most bad connections get an answer").isGreaterThan(CONNECTIONS / 2);
            assertThat(lohar.isAlive()).isTrue();
            goodExecWorks(lohar, token);
            assertThat(settlesTo(lohar.pid(), baselineThreads + 2, Duration.ofSeconds(20)))
                    .as("threads return to baseline %d", baselineThreads).isTrue();
            assertThat(children(lohar.pid())).as("no child processes left").isZero();
        }
    }

    private static void goodExecWorks(LoharProcess lohar, Optional<String> token) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            if (token.isPresent()) {
                s.send(FrameType.AUTH, token.get().getBytes());
            }
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("echo", "alive"));
            assertThat(s.collect().stdout()).isEqualTo("alive\n");
        }
    }

    /** Sends one bad input; answers true when the agent answered, false when it closed while we still wrote. */
    private static boolean oneBadConnection(LoharProcess lohar, Random random, boolean authRequired) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.writeRaw(badBytes(random));
            s.shutdownOutput();
            for (Optional<Frame> f = s.next(AgentSocket.WAIT); f.isPresent(); f = s.next(AgentSocket.WAIT)) {
                if (authRequired) {
                    assertThat(f.get().text()).isEqualTo("auth required");
                }
                assertThat(f.get().kind()).as("answer %s", f.get()).isPresent()
                        .get().isIn(HARMLESS_ANSWERS);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One of: random bytes, a random frame, a truncated frame, an oversized or zero length header. */
    private static byte[] badBytes(Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> out.writeBytes(randomBytes(random, random.nextInt(64)));
            case 1 -> out.writeBytes(frame(randomType(random), randomPayload(random)));
            case 2 -> {
                byte[] whole = frame(randomType(random), randomBytes(random, 10 + random.nextInt(200)));
                out.write(whole, 0, 1 + random.nextInt(whole.length - 1));
            }
            case 3 -> out.writeBytes(header(Wire.MAX_FRAME_LENGTH + 1 + random.nextInt(1 << 20), randomType(random)));
            case 4 -> out.writeBytes(header(0, randomType(random)));
            default -> out.writeBytes(frame(FrameType.values()[random.nextInt(FrameType.values().length)].code(),
                    jsonish(random)));
        }
        return out.toByteArray();
    }

    private static byte[] frame(int type, byte[] payload) throws IOException {
        return FrameWriter.encode(type, payload, 0, payload.length);
    }

    private static byte[] header(long length, int type) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type};
    }

    private static int randomType(Random random) {
        return random.nextInt(256);
    }

    private static byte[] randomPayload(Random random) {
        return randomBytes(random, random.nextInt(256));
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] jsonish(Random random) {
        String[] pieces = {"{", "}", "\"argv\":", "[", "]", "\"path\":", "\"x\"", "1", "-5", ",", "null", "\"port\":",
            "\"session_id\":", "true", "\"size\":", "99999999999999999999"};
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString().getBytes();
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).strip());
            }
        }
        throw new IOException("no Threads line for " + pid);
    }

    private static boolean settlesTo(long pid, int maxThreads, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (threads(pid) <= maxThreads) {
                return true;
            }
            LockSupport.parkNanos(50_000_000);
        }
        return threads(pid) <= maxThreads;
    }

    private static int children(long pid) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String kids;
                try {
                    kids = Files.readString(task.resolve("children")).strip();
                } catch (java.nio.file.NoSuchFileException threadEnded) {
                    continue; // the thread exited between listing and reading: it has no children now
                }
                count += kids.isEmpty() ? 0 : kids.split(" ").length;
            }
        }
        return count;
    }
}
