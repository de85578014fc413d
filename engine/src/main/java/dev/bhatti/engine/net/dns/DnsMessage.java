package dev.bhatti.engine.net.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The few facts the relay reads from a DNS message (RFC 1035): the id, the question's name and
 * type, and the IPv4 addresses and TTLs of an answer's A records. Anything malformed reads as
 * empty; the relay passes bytes through unchanged.
 */
public final class DnsMessage {
    /** QTYPE of an A record. */
    public static final int TYPE_A = 1;

    /** One A record of an answer. */
    public record Address(String name, InetAddress address, long ttlSeconds) {}

    /** The question: lower-case name without the trailing dot, and its type. */
    public record Question(String name, int type) {}

    private DnsMessage() {}

    public static Optional<Question> question(byte[] msg, int length) {
        if (length < 12 || u16(msg, 4) < 1) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        int at = readName(msg, length, 12, name, 0);
        if (at < 0 || at + 4 > length) {
            return Optional.empty();
        }
        return Optional.of(new Question(name.toString().toLowerCase(Locale.ROOT), u16(msg, at)));
    }

    /** The A records of an answer, with their owner names. */
    public static List<Address> addresses(byte[] msg, int length) {
        List<Address> out = new ArrayList<>();
        if (length < 12) {
            return out;
        }
        int questions = u16(msg, 4), answers = u16(msg, 6);
        int at = 12;
        for (int i = 0; i < questions && at >= 0; i++) {
            at = readName(msg, length, at, new StringBuilder(), 0);
            at = at < 0 ? -1 : at + 4;
        }
        for (int i = 0; i < answers && at >= 0 && at < length; i++) {
            StringBuilder owner = new StringBuilder();
            at = readName(msg, length, at, owner, 0);
            if (at < 0 || at + 10 > length) {
                break;
            }
            int type = u16(msg, at), klass = u16(msg, at + 2);
            long ttl = ((long) u16(msg, at + 4) << 16) | u16(msg, at + 6);
            int rdlength = u16(msg, at + 8);
            int rdata = at + 10;
            if (rdata + rdlength > length) {
                break;
            }
            if (type == TYPE_A && klass == 1 && rdlength == 4) {
                byte[] ip = {msg[rdata], msg[rdata + 1], msg[rdata + 2], msg[rdata + 3]};
                try {
                    out.add(new Address(owner.toString().toLowerCase(Locale.ROOT), InetAddress.getByAddress(ip), ttl));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("4 bytes are an IPv4 address", e);
                }
            }
            at = rdata + rdlength;
        }
        return out;
    }

    /** A REFUSED answer to {@code query} (its id and question kept), for a name the policy denies. */
    public static byte[] refused(byte[] query, int length) {
        byte[] out = java.util.Arrays.copyOf(query, length);
        if (length >= 12) {
            out[2] = (byte) (0x80 | (query[2] & 0x79)); // QR=1, opcode kept, RD kept
            out[3] = (byte) 0x85; // RA=1, RCODE=5 (REFUSED)
            out[6] = out[7] = out[8] = out[9] = out[10] = out[11] = 0;
        }
        return out;
    }

    /** Reads a possibly compressed name at {@code at}; answers the offset after it, or -1. */
    private static int readName(byte[] msg, int length, int at, StringBuilder name, int depth) {
        if (depth > 8) {
            return -1;
        }
        while (at < length) {
            int len = msg[at] & 0xFF;
            if (len == 0) {
                return at + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                if (at + 1 >= length) {
                    return -1;
                }
                int pointer = ((len & 0x3F) << 8) | (msg[at + 1] & 0xFF);
                return readName(msg, length, pointer, name, depth + 1) < 0 ? -1 : at + 2;
            }
            if (at + 1 + len > length) {
                return -1;
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(msg, at + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
            at += 1 + len;
        }
        return -1;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}
