package dev.bhatti.cli.helper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident helper: a JVM that stays up for one user (one {@code $HOME}) and runs CLI calls
 * that {@code bin/bhatti}'s small native client forwards over a Unix socket, so a call costs no
 * JVM start, no class loading and no picocli set-up (docs/cli-helper.md, decision 0020).
 *
 * <p>The socket is 0600 in a 0700 directory, and each connection's peer must be this user
 * ({@code SO_PEERCRED}). The helper exits when idle for {@code idle}, when its socket file is
 * removed, when asked ({@code bhatti helper stop}), and after answering a call with "fall back"
 * once the jar it runs from has been rebuilt.
 */
public final class HelperServer {
    private final Path socket;
    private final Duration idle;
    private final Path jar;
    private final String jarStamp;
    private final HelperCall.Runner runner;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
    private final long started = System.currentTimeMillis();
    private volatile boolean stopping;
    private ServerSocketChannel server;
    private Object boundKey;

    public HelperServer(Path socket, Duration idle, Path jar, HelperCall.Runner runner) {
        this.socket = socket;
        this.idle = idle;
        this.jar = jar;
        this.jarStamp = stamp(jar);
        this.runner = runner;
    }

    /**
     * Binds the socket; false when another live helper already answers on it (a stale file of a
     * dead one is replaced).
     */
    public boolean bind() throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                return false;
            } catch (IOException dead) {
                Files.deleteIfExists(socket);
            }
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Path tmp = dir.resolve(".helper-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(tmp);
        server.bind(UnixDomainSocketAddress.of(tmp));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, socket, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // whole or not at all
        boundKey = key(socket);
        return true;
    }

    /** Serves until idle, stopped, stale or the socket file is gone. */
    public void serve() throws IOException {
        Thread watcher = Thread.ofPlatform().daemon().name("helper-idle").start(this::watch);
        try {
            while (!stopping) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    if (stopping) {
                        break;
                    }
                    throw e;
                }
                active.incrementAndGet();
                Thread.ofVirtual().name("helper-call").start(() -> handle(client));
            }
        } finally {
            watcher.interrupt();
            close();
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            if (!sameUser(client)) {
                return;
            }
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            Frames.Frame first = Frames.read(in);
            if (first == null) {
                return;
            }
            switch (first.type()) {
                case Frames.STOP -> {
                    Frames.write(out, Frames.STDOUT, ("helper pid " + ProcessHandle.current().pid() + " stopping\n")
                            .getBytes(StandardCharsets.UTF_8));
                    Frames.write(out, Frames.EXIT, Frames.exitCode(0));
                    shutdown();
                }
                case Frames.STATUS -> {
                    Frames.write(out, Frames.STDOUT, ("helper pid " + ProcessHandle.current().pid() + ", up "
                            + (System.currentTimeMillis() - started) / 1000 + " s, calls " + calls.get() + ", running "
                            + (active.get() - 1) + ", socket " + socket + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    Frames.write(out, Frames.EXIT, Frames.exitCode(0));
                }
                case Frames.HELLO -> call(first, in, out);
                default -> { }
            }
        } catch (IOException e) {
            // a client that went away mid-call: nothing to answer
        } finally {
            lastActive.set(System.nanoTime());
            active.decrementAndGet();
        }
    }

    private void call(Frames.Frame hello, InputStream in, OutputStream out) throws IOException {
        HelperCall.Hello parsed = HelperCall.Hello.parse(hello.fields());
        if (parsed == null || !jarStamp.equals(stamp(jar))) {
            // Another protocol, or this jar was rebuilt: the client runs the call itself, and a
            // stale helper makes way for a new one.
            Frames.write(out, Frames.FALLBACK, new byte[0]);
            if (parsed != null) {
                shutdown();
            }
            return;
        }
        calls.incrementAndGet();
        new HelperCall(in, out).run(parsed, Path.of(System.getProperty("user.home")), runner);
    }

    /** Only this user's processes may run calls as this user (the 0600 socket says so too). */
    private static boolean sameUser(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user().getName().equals(System.getProperty("user.name"));
    }

    private void watch() {
        while (!stopping) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            boolean idleTooLong = active.get() == 0 && System.nanoTime() - lastActive.get() > idle.toNanos();
            if (idleTooLong || !Objects.equals(boundKey, key(socket))) { // removed, or another helper's now
                shutdown();
            }
        }
    }

    private void shutdown() {
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    /** Removes the socket file unless a newer helper has put its own there. */
    private void close() throws IOException {
        server.close();
        if (boundKey != null && boundKey.equals(key(socket))) {
            Files.deleteIfExists(socket);
        }
    }

    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The jar's size and modification time: a rebuild changes it. */
    private static String stamp(Path jar) {
        try {
            FileTime t = Files.getLastModifiedTime(jar);
            return Files.size(jar) + "@" + t.toMillis();
        } catch (IOException e) {
            return "missing";
        }
    }
}
