package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private static byte[] encode(Frame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        for (Frame f : frames) {
            w.write(f);
        }
        return out.toByteArray();
    }

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes));
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void everyFrameTypeRoundTripsWithItsPayload(FrameType type) throws IOException {
        byte[] payload = ("payload of " + type).getBytes();
        FrameReader r = reader(encode(Frame.of(type, payload)));
        Frame back = r.require();
        assertThat(back.kind()).contains(type);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(r.next()).isEmpty();
    }

    @Test
    void headerIsBigEndianLengthCountingTypeBytePlusPayload() throws IOException {
        assertThat(encode(Frame.of(FrameType.STDOUT, new byte[] {'h', 'i'})))
                .containsExactly(0, 0, 0, 3, 0x02, 'h', 'i');
    }

    @Test
    void emptyAndAbsentPayloadsEncodeIdentically() throws IOException {
        byte[] empty = encode(Frame.of(FrameType.KILL, new byte[0]));
        byte[] absent = encode(new Frame(FrameType.KILL.code(), null));
        assertThat(empty).containsExactly(0, 0, 0, 1, 0x07).isEqualTo(absent);
        assertThat(reader(empty).require().payload()).isEmpty();
    }

    @Test
    void manyFramesInOneStreamComeBackInOrder() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            frames.add(Frame.of(FrameType.STDOUT, ("chunk " + i).getBytes()));
        }
        FrameReader r = reader(encode(frames.toArray(Frame[]::new)));
        for (Frame expected : frames) {
            assertThat(r.require()).isEqualTo(expected);
        }
        assertThat(r.next()).isEmpty();
    }

    @Test
    void emptyStreamIsCleanEndNotAnError() throws IOException {
        assertThat(reader(new byte[0]).next()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void streamEndingInsideHeaderIsUnexpectedEnd(int headerBytes) {
        byte[] partial = Arrays.copyOf(new byte[] {0, 0, 0, 3, 2}, headerBytes);
        assertThatThrownBy(() -> reader(partial).next())
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_END))
                .hasMessageContaining("header");
    }

    @Test
    void streamEndingInsidePayloadIsUnexpectedEnd() {
        byte[] partial = {0, 0, 0, 10, 2, 'a', 'b'};
        assertThatThrownBy(() -> reader(partial).next())
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_END))
                .hasMessageContaining("payload");
    }

    @Test
    void requireTurnsCleanEndIntoUnexpectedEnd() {
        assertThatThrownBy(() -> reader(new byte[0]).require())
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_END));
    }

    @Test
    void largestAllowedFrameRoundTrips() throws IOException {
        byte[] payload = new byte[Wire.MAX_FRAME_LENGTH - 1];
        new Random(1).nextBytes(payload);
        Frame back = reader(encode(Frame.of(FrameType.STDIN, payload))).require();
        assertThat(back.payload()).isEqualTo(payload);
    }

    @Test
    void writerRefusesOversizedFrameAndWritesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        byte[] tooBig = new byte[Wire.MAX_FRAME_LENGTH];
        assertThatThrownBy(() -> w.write(FrameType.STDIN, tooBig))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.FRAME_TOO_LARGE));
        assertThat(out.size()).isZero();
    }

    @Test
    void readerRefusesOversizedHeaderWithoutReadingThePayload() {
        int length = Wire.MAX_FRAME_LENGTH + 1;
        byte[] bytes = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 2,
                'x', 'y', 'z'};
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        assertThatThrownBy(() -> new FrameReader(in).next())
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.FRAME_TOO_LARGE));
        assertThat(in.available()).as("payload bytes left unread").isEqualTo(3);
    }

    @Test
    void zeroLengthIsInvalid() {
        assertThatThrownBy(() -> reader(new byte[] {0, 0, 0, 0, 2}).next())
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.INVALID_LENGTH));
    }

    @Test
    void unknownFrameTypesAreReadSoCallersCanSkipThem() throws IOException {
        FrameReader r = reader(encode(new Frame(0xEE, new byte[] {1, 2}), Frame.of(FrameType.EXIT, Payloads.exit(0))));
        Frame unknown = r.require();
        assertThat(unknown.kind()).isEmpty();
        assertThat(unknown.type()).isEqualTo(0xEE);
        assertThat(r.require().is(FrameType.EXIT)).isTrue();
    }

    @Test
    void concurrentWritersNeverInterleaveFrames() throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        FrameWriter w = new FrameWriter(out);
        try (var pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                byte marker = (byte) ('A' + t);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        byte[] payload = new byte[1 + (i % 300)];
                        Arrays.fill(payload, marker);
                        w.write(FrameType.STDOUT, payload);
                    }
                    return null;
                }));
            }
            Future<int[]> reading = pool.submit(() -> {
                FrameReader r = new FrameReader(in);
                int[] perWriter = new int[2];
                for (int i = 0; i < 2000; i++) {
                    byte[] p = r.require().payload();
                    byte first = p[0];
                    for (byte b : p) {
                        assertThat(b).isEqualTo(first);
                    }
                    perWriter[first - 'A']++;
                }
                return perWriter;
            });
            for (Future<?> f : writers) {
                f.get();
            }
            assertThat(reading.get()).containsExactly(1000, 1000);
        }
    }
}
