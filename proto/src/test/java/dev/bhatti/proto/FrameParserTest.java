package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
    private static final byte[] FRAME = {0, 0, 0, 4, 0x02, 'a', 'b', 'c'};

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 5, 7})
    void partialBufferIsIncomplete(int available) {
        ByteBuffer buf = ByteBuffer.wrap(FRAME, 0, available);
        assertThat(FrameParser.tryParse(buf)).isInstanceOf(FrameParser.Result.Incomplete.class);
    }

    @Test
    void completeFrameGivesTypePayloadOffsetAndTotalLength() {
        ByteBuffer buf = ByteBuffer.allocate(20).put(FRAME).put(new byte[] {9, 9}).flip();
        assertThat(FrameParser.tryParse(buf)).isEqualTo(new FrameParser.Result.Complete(0x02, 5, 8));
        assertThat(buf.position()).as("nothing consumed").isZero();
        assertThat(buf.limit()).isEqualTo(10);
    }

    @Test
    void parsesFromTheBufferPosition() {
        ByteBuffer buf = ByteBuffer.allocate(20).put(new byte[] {7, 7, 7}).put(FRAME).flip().position(3);
        var result = (FrameParser.Result.Complete) FrameParser.tryParse(buf);
        assertThat(result.type()).isEqualTo(0x02);
        assertThat(result.payloadLength()).isEqualTo(3);
        assertThat(buf.position()).isEqualTo(3);
    }

    @Test
    void zeroOrOversizedLengthIsInvalidNotAnException() {
        assertThat(FrameParser.tryParse(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 2})))
                .isEqualTo(new FrameParser.Result.Invalid(0));
        assertThat(FrameParser.tryParse(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 2})))
                .isEqualTo(new FrameParser.Result.Invalid(0xFFFFFFFFL));
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            assertThat(FrameParser.tryParse(ByteBuffer.wrap(bytes))).isNotNull();
        }
    }
}
