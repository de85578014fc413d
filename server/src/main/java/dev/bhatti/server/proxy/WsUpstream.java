package dev.bhatti.server.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The client end of a WebSocket (RFC 6455) to an upstream inside a sandbox, over a tunnel: the
 * opening handshake, then masked frames up and whole messages down. Pings from the upstream are
 * answered here; fragmented messages are reassembled (up to {@link #MAX_MESSAGE}).
 */
public final class WsUpstream implements AutoCloseable {
    public static final int MAX_MESSAGE = 16 << 20;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;
    private final String protocol;

    /** A message from the upstream: text, binary, or its close. */
    public sealed interface Message {
        record Text(String text) implements Message {}

        record Binary(ByteBuffer data) implements Message {}

        record Close(int code, String reason) implements Message {}
    }

    private WsUpstream(SocketChannel channel, DataInputStream in, String protocol) {
        this.channel = channel;
        this.in = in;
        this.out = ChannelStreams.out(channel);
        this.protocol = protocol;
    }

    /**
     * Opens the WebSocket at {@code request.target()} over {@code channel} with the client's headers
     * (and its {@code Sec-WebSocket-Protocol}); anything but 101 with the right accept key is an
     * {@link UpstreamException}, and the channel is closed.
     */
    public static WsUpstream connect(ProxyRequest request, String upstreamHost, String protocols,
                                     SocketChannel channel) throws IOException {
        try {
            String key = Base64.getEncoder().encodeToString(bytes(16));
            StringBuilder h = new StringBuilder("GET ").append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(upstreamHost).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(key).append("\r\n");
            if (protocols != null && !protocols.isBlank()) {
                h.append("Sec-WebSocket-Protocol: ").append(protocols).append("\r\n");
            }
            for (Map.Entry<String, String> e : request.headers()) {
                h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            OutputStream up = ChannelStreams.out(channel);
            up.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            DataInputStream down = new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel), 16 * 1024));
            HttpHead head = HttpHead.read(down);
            if (head.status() != 101) {
                throw new UpstreamException("the upstream refused the WebSocket upgrade with HTTP " + head.status());
            }
            if (!head.header("Sec-WebSocket-Accept").orElse("").equals(accept(key))) {
                throw new UpstreamException("the upstream's WebSocket handshake has a wrong Sec-WebSocket-Accept");
            }
            return new WsUpstream(channel, down, head.header("Sec-WebSocket-Protocol").orElse(null));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The subprotocol the upstream chose, or null. */
    public String protocol() {
        return protocol;
    }

    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JDK", e);
        }
    }

    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(ByteBuffer data) throws IOException {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        send(0x2, b);
    }

    /** Sends a close frame (the upstream answers with its own, which {@link #read} returns). */
    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + Math.min(r.length, 123));
        b.putShort((short) code).put(r, 0, b.remaining());
        send(0x8, b.array());
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            f.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = bytes(4);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
    }

    /** The next whole message; a ping is answered and skipped. EOF counts as close 1006. */
    public Message read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageOpcode = -1;
        while (true) {
            int b0;
            int b1;
            try {
                b0 = in.readUnsignedByte();
                b1 = in.readUnsignedByte();
            } catch (EOFException e) {
                return new Message.Close(1006, "upstream closed the connection");
            }
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            if (len < 0 || len + message.size() > MAX_MESSAGE) {
                throw new UpstreamException("the upstream sent a WebSocket message over " + (MAX_MESSAGE >> 20) + " MiB");
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) len);
            if (payload.length < len) {
                return new Message.Close(1006, "upstream closed the connection");
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (opcode) {
                case 0x9 -> send(0xA, payload);
                case 0xA -> { }
                case 0x8 -> {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Message.Close(code, reason);
                }
                default -> {
                    if (opcode != 0) {
                        messageOpcode = opcode;
                    }
                    message.writeBytes(payload);
                    if (fin) {
                        byte[] whole = message.toByteArray();
                        return messageOpcode == 0x1 ? new Message.Text(new String(whole, StandardCharsets.UTF_8))
                                : new Message.Binary(ByteBuffer.wrap(whole));
                    }
                }
            }
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
