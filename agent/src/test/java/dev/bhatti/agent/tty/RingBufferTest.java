package dev.bhatti.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RingBufferTest {

    @Test
    void keepsEverythingUntilFull() {
        RingBuffer ring = new RingBuffer(8);
        ring.write("abc".getBytes(), 0, 3);
        ring.write("de".getBytes(), 0, 2);
        assertThat(ring.snapshot()).isEqualTo("abcde".getBytes());
    }

    @Test
    void wrapsOverwritingTheOldestBytesFirst() {
        RingBuffer ring = new RingBuffer(8);
        ring.write("abcdef".getBytes(), 0, 6);
        ring.write("ghijk".getBytes(), 0, 5);
        assertThat(new String(ring.snapshot())).isEqualTo("defghijk");
        assertThat(ring.size()).isEqualTo(8);
    }

    @Test
    void aWriteLargerThanTheBufferKeepsItsTail() {
        RingBuffer ring = new RingBuffer(4);
        ring.write("xy".getBytes(), 0, 2);
        ring.write("0123456789".getBytes(), 2, 8);
        assertThat(new String(ring.snapshot())).isEqualTo("6789");
    }

    @Test
    void matchesTheLastBytesOfAnyWriteSequence() {
        Random random = new Random(7);
        RingBuffer ring = new RingBuffer(RingBuffer.SCROLLBACK);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            byte[] chunk = new byte[random.nextInt(300)];
            random.nextBytes(chunk);
            ring.write(chunk, 0, chunk.length);
            all.writeBytes(chunk);
        }
        byte[] everything = all.toByteArray();
        assertThat(ring.snapshot()).isEqualTo(Arrays.copyOfRange(everything, everything.length - 65536, everything.length));
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new RingBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
