package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FdTest {
    @Test
    void bytesWrittenToAPipeAreReadBackThenEndOfFileOnceTheWriterCloses() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Io.write(pipe.writeEnd(), "abc");
            pipe.writeEnd().close();
            byte[] buf = new byte[10];
            assertThat(pipe.readEnd().read(buf, 2, 8)).isEqualTo(3);
            assertThat(new String(buf, 2, 3)).isEqualTo("abc");
            assertThat(pipe.readEnd().read(buf, 0, 10)).isEqualTo(-1);
        }
    }

    @Test
    void writeLoopsUntilEverythingIsWrittenEvenBeyondThePipeCapacity() throws Exception {
        byte[] data = new byte[300_000]; // larger than the 64 KiB pipe buffer and the write chunk
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Fd end = pipe.writeEnd()) {
                    end.write(data, 0, data.length);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = Io.readAllBytes(pipe.readEnd());
            writer.get(20, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(data);
        }
    }

    @Test
    void awaitReadableTimesOutOnAnIdlePipeAndSeesDataAndHangUp() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            long start = System.nanoTime();
            assertThat(pipe.readEnd().awaitReadable(Duration.ofMillis(50))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(45), Duration.ofSeconds(10));
            assertThat(pipe.readEnd().awaitReadable(Duration.ZERO)).isFalse();

            Io.write(pipe.writeEnd(), "x");
            assertThat(pipe.readEnd().awaitReadable(Duration.ofSeconds(10))).isTrue();
            assertThat(pipe.readEnd().read(new byte[1], 0, 1)).isEqualTo(1);

            pipe.writeEnd().close();
            assertThat(pipe.readEnd().awaitReadable(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void closeIsIdempotentAndLaterOperationsFailWithBadFileDescriptor() throws Exception {
        Pipe pipe = Pipe.open();
        Fd end = pipe.writeEnd();
        end.close();
        end.close();
        assertThat(end.isOpen()).isFalse();
        assertThatThrownBy(() -> Io.write(end, "x"))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EBADF))
                .hasMessage("write: bad file descriptor");
        assertThatThrownBy(() -> end.awaitReadable(Duration.ZERO)).isInstanceOf(PosixException.class);
        pipe.close();
        assertThat(pipe.readEnd().isOpen()).isFalse();
    }

    @Test
    void writingToAPipeWithoutReadersFailsWithBrokenPipe() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.readEnd().close();
            assertThatThrownBy(() -> Io.write(pipe.writeEnd(), "x"))
                    .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EPIPE))
                    .hasMessage("write: broken pipe");
        }
    }

    @Test
    void closeDuringABlockedReadIsDeferredUntilTheReadReturns() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Fd readEnd = pipe.readEnd();
            byte[] buf = new byte[8];
            CompletableFuture<Integer> reader = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    reader.complete(readEnd.read(buf, 0, buf.length));
                } catch (Throwable t) {
                    reader.completeExceptionally(t);
                }
            });
            Io.await("a thread blocks in read(2) on " + readEnd, () -> Io.someThreadIsReading(readEnd.value()));
            readEnd.close();
            assertThat(readEnd.isOpen()).isFalse();
            Io.write(pipe.writeEnd(), "late"); // still reaches the reader: the fd stayed valid
            assertThat(reader.get(20, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(new String(buf, 0, 4)).isEqualTo("late");
            assertThatThrownBy(() -> readEnd.read(buf, 0, 1)).isInstanceOf(PosixException.class);
        }
    }

    @Test
    void readRejectsRangesOutsideTheBuffer() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThatThrownBy(() -> pipe.readEnd().read(new byte[4], 2, 3))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(pipe.readEnd().read(new byte[4], 0, 0)).isZero();
        }
    }

    @Test
    void pipeEndsAreCloseOnExec() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThat(Io.fdFlags(pipe.readEnd().value()) & Libc.O_CLOEXEC).isNotZero();
            assertThat(Io.fdFlags(pipe.writeEnd().value()) & Libc.O_CLOEXEC).isNotZero();
        }
    }
}
