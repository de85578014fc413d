package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.Terminal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.SessionInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Files, sessions, tunnels and activity through the engine, on one real VM. */
class EngineAgentTest {
    private static EngineFixture fx;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
        VmInfo vm = fx.create("agent");
        id = vm.id();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static AgentClient agent() {
        return fx.engine.agent(id);
    }

    @Test
    void filesWriteReadStatListAndTruncatedReads() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            lines.append("line ").append(i).append('\n');
        }
        byte[] content = lines.toString().getBytes(StandardCharsets.UTF_8);
        agent().writeFile("/workspace/lines.txt", "0640", content.length, new ByteArrayInputStream(content));
        assertThat(read(FileReadRequest.whole("/workspace/lines.txt"))).isEqualTo(lines.toString());
        assertThat(read(new FileReadRequest("/workspace/lines.txt", 50L, 10L, null)))
                .startsWith("line 50\n").endsWith("line 59\n");
        assertThat(read(new FileReadRequest("/workspace/lines.txt", null, null, 10L))).isEqualTo("line 1\nlin");
        FileInfo info = agent().stat("/workspace/lines.txt");
        assertThat(info.size()).isEqualTo(content.length);
        assertThat(info.mode()).isEqualTo("0640");
        assertThat(agent().list("/workspace")).extracting(FileInfo::name).contains("lines.txt");
        assertThat(fx.sh(id, "stat -c %U /workspace/lines.txt").stdout()).isEqualTo("lohar\n");
    }

    private static String read(FileReadRequest request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        agent().readFile(request, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parallelReadsAndExecsAllSucceed() throws Exception {
        byte[] kib = new byte[1024];
        agent().writeFile("/workspace/kib", "0644", kib.length, new ByteArrayInputStream(kib));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 10; round++) {
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    all.add(pool.submit(() -> read(FileReadRequest.whole("/workspace/kib"))));
                    all.add(pool.submit(() -> agent().exec(ExecRequest.of("echo", "ok")).stdout()));
                }
                for (Future<String> f : all) {
                    assertThat(f.get()).isIn(new String(kib, StandardCharsets.UTF_8), "ok\n");
                }
            }
        }
    }

    @Test
    void sessionsAreListedReattachedAndKilled() throws Exception {
        String sid;
        try (Terminal t = agent().openTerminal(ExecRequest.builder("bash").tty(24, 80).build())) {
            sid = t.sessionId();
            t.write("echo mark-$((1+1))\n".getBytes(StandardCharsets.UTF_8));
            EngineLifecycleTest.readUntil(t, "mark-2");
        }
        assertThat(agent().sessions()).extracting(SessionInfo::sessionId).contains(sid);
        try (Terminal again = agent().openTerminal(ExecRequest.attach(sid).build())) {
            assertThat(EngineLifecycleTest.readUntil(again, "mark-2")).contains("mark-2");
        }
        agent().killSession(sid);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (agent().sessions().stream().anyMatch(s -> s.sessionId().equals(sid) && s.running())
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000_000);
        }
        assertThat(agent().sessions()).filteredOn(s -> s.sessionId().equals(sid)).allMatch(s -> !s.running());
    }

    @Test
    void tunnelReachesAnHttpServerInsideTheGuest() throws Exception {
        agent().exec(ExecRequest.builder("python3", "-m", "http.server", "8000", "--bind", "127.0.0.1")
                .cwd("/etc").detach("/tmp/http.log").build());
        String response = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!response.startsWith("HTTP/1.0 200") && System.nanoTime() < deadline) {
            response = httpGet("/hostname");
            if (!response.startsWith("HTTP/1.0 200")) {
                LockSupport.parkNanos(200_000_000);
            }
        }
        assertThat(response).startsWith("HTTP/1.0 200").endsWith(fx.sh(id, "cat /etc/hostname").stdout());
    }

    private static String httpGet(String path) {
        try (SocketChannel ch = agent().forward(8000)) {
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    @Test
    void execRecordsActivityButStatDoesNot() throws Exception {
        ActivityInfo first = agent().activity();
        long second = first.lastActivityUnix();
        long hostStart = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 < hostStart + 2) {
            LockSupport.parkNanos(50_000_000); // the guest clock runs at the host's pace: > 1 guest second passes
        }
        agent().stat("/workspace");
        assertThat(agent().activity().lastActivityUnix()).isEqualTo(second);
        agent().exec(ExecRequest.of("true"));
        assertThat(agent().activity().lastActivityUnix()).isGreaterThan(second);
    }

}
