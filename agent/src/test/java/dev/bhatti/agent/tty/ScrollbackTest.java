package dev.bhatti.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrollbackTest {
    private static void write(Scrollback s, FrameType type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.write(type, b, b.length);
    }

    private static List<String> frames(Scrollback.Replay r) {
        return r.frames().stream().map(f -> f.type() + ":" + f.text()).toList();
    }

    @Test
    void mergedOutputReplaysAsOneStdoutFrame() {
        Scrollback s = new Scrollback(64);
        write(s, FrameType.STDOUT, "ab");
        write(s, FrameType.STDOUT, "cd");
        Scrollback.Replay r = s.replay(0);
        assertThat(frames(r)).containsExactly(FrameType.STDOUT.code() + ":abcd");
        assertThat(r.from()).isZero();
    }

    @Test
    void streamsKeepTheirOrderAndTypeInTheReplay() {
        Scrollback s = new Scrollback(64);
        write(s, FrameType.STDOUT, "out1 ");
        write(s, FrameType.STDERR, "err1 ");
        write(s, FrameType.STDOUT, "out2");
        assertThat(s.replay(0).frames()).extracting(Frame::type, Frame::text).containsExactly(
                tuple(FrameType.STDOUT.code(), "out1 "),
                tuple(FrameType.STDERR.code(), "err1 "),
                tuple(FrameType.STDOUT.code(), "out2"));
    }

    @Test
    void replayFromAnOffsetSendsOnlyTheBytesAfterIt() {
        Scrollback s = new Scrollback(64);
        write(s, FrameType.STDOUT, "0123");
        write(s, FrameType.STDERR, "4567");
        Scrollback.Replay r = s.replay(6);
        assertThat(r.from()).isEqualTo(6);
        assertThat(r.frames()).extracting(Frame::text).containsExactly("67");
        assertThat(s.replay(8).frames()).isEmpty();
        assertThat(s.replay(100).from()).as("an offset past the end is the end").isEqualTo(8);
    }

    @Test
    void overflowDropsTheOldestBytesAndAnOldOffsetGetsWhatIsKept() {
        Scrollback s = new Scrollback(8);
        write(s, FrameType.STDOUT, "aaaa");
        write(s, FrameType.STDERR, "bbbb");
        write(s, FrameType.STDOUT, "cc");
        assertThat(s.total()).isEqualTo(10);
        Scrollback.Replay r = s.replay(0);
        assertThat(r.from()).as("the first kept byte").isEqualTo(2);
        assertThat(r.frames()).extracting(Frame::type, Frame::text).containsExactly(
                tuple(FrameType.STDOUT.code(), "aa"),
                tuple(FrameType.STDERR.code(), "bbbb"),
                tuple(FrameType.STDOUT.code(), "cc"));
        write(s, FrameType.STDERR, "0123456789");
        assertThat(s.replay(0).frames()).extracting(Frame::type, Frame::text)
                .containsExactly(tuple(FrameType.STDERR.code(), "23456789"));
    }
}
