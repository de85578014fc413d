package dev.bhatti.engine.net;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** MAC addresses for VM NICs: random, locally administered (bit 1 of the first octet set), unicast (bit 0 clear). */
public final class Mac {
    private static final RandomGenerator RANDOM = new SecureRandom();

    private Mac() {}

    /** A fresh random locally-administered unicast MAC such as {@code 5a:3f:...}. */
    public static String random() {
        return random(RANDOM);
    }

    static String random(RandomGenerator random) {
        byte[] b = new byte[6];
        random.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        return HexFormat.ofDelimiter(":").formatHex(b);
    }
}
