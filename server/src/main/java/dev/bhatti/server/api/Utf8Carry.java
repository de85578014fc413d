package dev.bhatti.server.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decodes a byte stream chunk by chunk, carrying an incomplete trailing UTF-8 sequence to the next chunk. */
final class Utf8Carry {
    private byte[] carry = new byte[0];

    /** The text of everything complete so far. */
    String take(byte[] chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(carry.length + chunk.length);
        all.writeBytes(carry);
        all.writeBytes(chunk);
        byte[] b = all.toByteArray();
        int cut = completePrefix(b);
        carry = java.util.Arrays.copyOfRange(b, cut, b.length);
        return new String(b, 0, cut, StandardCharsets.UTF_8);
    }

    /** Whatever is left at the end of the stream (decoded leniently). */
    String rest() {
        String s = new String(carry, StandardCharsets.UTF_8);
        carry = new byte[0];
        return s;
    }

    /** Length of the longest prefix that does not end inside a multi-byte sequence. */
    static int completePrefix(byte[] b) {
        for (int back = 1; back <= Math.min(3, b.length); back++) {
            int i = b.length - back;
            int lead = b[i] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue;
            }
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return back < need ? i : b.length;
        }
        return b.length;
    }
}
