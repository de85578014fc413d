package dev.bhatti.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the host reaches one agent's two ports (SPEC §1.4): control (requests)
 * and forward (raw port relays). Every call opens a new, connected, blocking
 * channel that the caller owns.
 */
public sealed interface Transport permits Transport.Unix, Transport.Tcp {
    /** Connect timeout of {@link #tcp(String, int, int)}. */
    Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A new connection to the control port. */
    SocketChannel connectControl() throws IOException;

    /** A new connection to the forward port. */
    SocketChannel connectForward() throws IOException;

    /**
     * True where the agent's ports sit behind a listener with a backlog of 1 (QEMU user mode's
     * port forwarding): simultaneous connects overflow it, so the client makes them one at a time.
     */
    default boolean oneConnectAtATime() {
        return false;
    }

    /** Agent in test mode on two Unix sockets. */
    static Unix unix(Path control, Path forward) {
        return new Unix(control, forward);
    }

    /** Agent on TCP (a guest's own address, or its namespace's), with {@link #DEFAULT_CONNECT_TIMEOUT}. */
    static Tcp tcp(String host, int controlPort, int forwardPort) {
        return new Tcp(host, controlPort, forwardPort, DEFAULT_CONNECT_TIMEOUT, false);
    }

    /** Agent behind QEMU user mode's port forwarding on loopback: connects one at a time. */
    static Tcp userModeForward(String host, int controlPort, int forwardPort) {
        return new Tcp(host, controlPort, forwardPort, DEFAULT_CONNECT_TIMEOUT, true);
    }

    /** Two Unix-domain sockets. */
    record Unix(Path control, Path forward) implements Transport {
        public Unix {
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(forward, "forward");
        }

        @Override
        public SocketChannel connectControl() throws IOException {
            return connect(control);
        }

        @Override
        public SocketChannel connectForward() throws IOException {
            return connect(forward);
        }

        private static SocketChannel connect(Path socket) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot connect to unix:" + socket + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "unix:" + control;
        }
    }

    /** Two TCP ports on one host; connections use TCP_NODELAY and a connect timeout. */
    record Tcp(String host, int controlPort, int forwardPort, Duration connectTimeout, boolean oneConnectAtATime)
            implements Transport {
        public Tcp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            requirePort(controlPort);
            requirePort(forwardPort);
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
            }
        }

        private static void requirePort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
            }
        }

        @Override
        public SocketChannel connectControl() throws IOException {
            return connect(controlPort);
        }

        @Override
        public SocketChannel connectForward() throws IOException {
            return connect(forwardPort);
        }

        private SocketChannel connect(int port) throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(new InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
                return channel;
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot connect to tcp:" + host + ":" + port + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "tcp:" + host + ":" + controlPort;
        }
    }
}
