package dev.bhatti.engine.net.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * "The outside world's" resolver for tests, on a loopback port: A records for the names it was
 * given (TTL 60), NXDOMAIN for any other name. Records every question it was asked.
 */
public final class TestDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, String> records;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    public TestDnsServer(Map<String, String> records) throws IOException {
        this.records = Map.copyOf(records);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("test-dns").start(this::serve);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The names asked so far, in order. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                var q = DnsMessage.question(buf, in.getLength());
                if (q.isEmpty()) {
                    continue;
                }
                asked.add(q.get().name());
                byte[] reply = answer(buf, q.get());
                socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] query, DnsMessage.Question q) throws IOException {
        int end = 12;
        while (query[end] != 0) {
            end += 1 + (query[end] & 0xFF);
        }
        end += 5; // the root label, QTYPE and QCLASS
        String ip = records.get(q.name());
        boolean a = ip != null && q.type() == DnsMessage.TYPE_A;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query, 0, 2);
        out.write(0x81);
        out.write(ip == null ? 0x83 : 0x80); // RA; NXDOMAIN for an unknown name
        out.write(new byte[] {0, 1, 0, (byte) (a ? 1 : 0), 0, 0, 0, 0});
        out.write(query, 12, end - 12);
        if (a) {
            out.write(new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
            out.write(InetAddress.getByName(ip).getAddress());
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}
