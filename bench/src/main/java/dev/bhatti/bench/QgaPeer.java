package dev.bhatti.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.engine.qemu.Accel;
import dev.bhatti.engine.qemu.GuestImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer a user already has: a VM of the same kind as ours (same kernel, initramfs, microvm,
 * accelerator, 1 vCPU, 512 MiB) whose root disk is our image with Debian's {@code qemu-guest-agent}
 * in lohar's place, reached over a virtio-serial channel. {@code scripts/bench exec-peer} builds
 * that root disk. An exec is QGA's {@code guest-exec} with captured output, then
 * {@code guest-exec-status} polled without pause until it reports the exit.
 */
final class QgaPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process qemu;
    private final Path dir;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private long syncId = 1;

    private QgaPeer(Process qemu, Path dir, SocketChannel channel) {
        this.qemu = qemu;
        this.dir = dir;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Boots the peer on {@code rootfs} (read-only base under a qcow2 overlay) and waits until QGA answers. */
    static QgaPeer boot(GuestImages images, Path rootfs, Accel accel, String kernelArgs) throws Exception {
        Path dir = Files.createTempDirectory("bhatti-qga-peer-");
        Path overlay = dir.resolve("root.qcow2");
        run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", rootfs.toString(), "-F", "raw", overlay.toString()));
        Path socket = dir.resolve("qga.sock");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/qemu-system-x86_64", "-M", "microvm", "-m", "512M", "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        cmd.addAll(accel.args());
        cmd.addAll(List.of("-kernel", images.kernel().toString(), "-initrd", images.initrd().toString(),
                "-append", kernelArgs, "-serial", "file:" + dir.resolve("serial.log"),
                "-drive", "if=none,id=root,file=" + overlay + ",format=qcow2", "-device", "virtio-blk-device,drive=root",
                "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-device,netdev=n0",
                "-chardev", "socket,id=qga0,path=" + socket + ",server=on,wait=off",
                "-device", "virtio-serial-device", "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0"));
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(socket)) {
            if (!qemu.isAlive() || System.nanoTime() > deadline) {
                qemu.destroyForcibly();
                throw new IOException("the QGA peer's QEMU did not start: " + Files.readString(dir.resolve("qemu.log")));
            }
            Thread.sleep(50);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        QgaPeer peer = new QgaPeer(qemu, dir, ch);
        try {
            peer.awaitAgent(deadline);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** guest-sync until the agent echoes the id: it drops anything sent before it started. */
    private void awaitAgent(long deadline) throws Exception {
        while (true) {
            long id = syncId++;
            send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + id + "}}");
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < wait) {
                if (in.ready()) {
                    JsonNode answer = JSON.readTree(in.readLine());
                    if (answer.path("return").asLong(-1) == id) {
                        return;
                    }
                } else {
                    Thread.sleep(20);
                }
            }
            if (!qemu.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("qemu-guest-agent did not answer; serial log: "
                        + Files.readString(dir.resolve("serial.log")));
            }
        }
    }

    /** Runs {@code argv} through guest-exec, polls guest-exec-status until it exited; answers its stdout. */
    String exec(String... argv) throws IOException {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length; i++) {
            args.append(i > 1 ? "," : "").append(JSON.writeValueAsString(argv[i]));
        }
        JsonNode started = call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":" + JSON.writeValueAsString(argv[0])
                + ",\"arg\":[" + args + "],\"capture-output\":true}}");
        long pid = started.path("pid").asLong();
        while (true) {
            JsonNode status = call("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}");
            if (status.path("exited").asBoolean()) {
                if (status.path("exitcode").asInt(-1) != 0) {
                    throw new IOException(String.join(" ", argv) + " exited with " + status);
                }
                String data = status.path("out-data").asText("");
                return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
            }
        }
    }

    private JsonNode call(String command) throws IOException {
        send(command);
        JsonNode answer = JSON.readTree(in.readLine());
        if (answer.has("error")) {
            throw new IOException("QGA error for " + command + ": " + answer.get("error"));
        }
        return answer.get("return");
    }

    private void send(String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        qemu.destroyForcibly();
        try {
            qemu.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Measure.deleteTree(dir);
    }
}
