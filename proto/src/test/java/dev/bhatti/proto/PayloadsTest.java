package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadsTest {

    @ParameterizedTest
    @CsvSource({"0,0", "24,80", "65535,65535", "1,65535", "65535,0"})
    void resizeRoundTripsEdgeValues(int rows, int cols) throws ProtocolException {
        byte[] payload = Payloads.resize(rows, cols);
        assertThat(payload).hasSize(4);
        assertThat(Payloads.resize(payload)).isEqualTo(new Payloads.WindowSize(rows, cols));
    }

    @Test
    void resizeIsBigEndian() {
        assertThat(Payloads.resize(0x0102, 0x0304)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void resizeShorterThanFourBytesIsInvalidAndExtraBytesAreIgnored() throws ProtocolException {
        assertThatThrownBy(() -> Payloads.resize(new byte[] {0, 24, 0}))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("4 bytes");
        assertThat(Payloads.resize(new byte[] {0, 24, 0, 80, 9, 9})).isEqualTo(new Payloads.WindowSize(24, 80));
    }

    @Test
    void resizeRefusesValuesThatDoNotFitSixteenBits() {
        assertThatThrownBy(() -> Payloads.resize(65536, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payloads.resize(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1, 127, 137, 143, 255, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void exitCodeRoundTripsEdgeValues(int code) throws ProtocolException {
        assertThat(Payloads.exit(Payloads.exit(code))).isEqualTo(code);
    }

    @Test
    void minusOneIsAllOnes() {
        assertThat(Payloads.exit(-1)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(Payloads.exit(137)).containsExactly(0, 0, 0, 137);
    }

    @Test
    void exitShorterThanFourBytesIsInvalid() {
        assertThatThrownBy(() -> Payloads.exit(new byte[] {0, 0}))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("EXIT");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 1_764_000_000_123_456_789L, Long.MAX_VALUE, Long.MIN_VALUE})
    void clockRoundTripsEdgeValues(long nanos) throws ProtocolException {
        assertThat(Payloads.clock(nanos)).hasSize(8);
        assertThat(Payloads.clock(Payloads.clock(nanos))).isEqualTo(nanos);
    }

    @Test
    void clockIsBigEndianAndExactlyEightBytes() {
        assertThat(Payloads.clock(0x0102030405060708L)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThatThrownBy(() -> Payloads.clock(new byte[7]))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("CLOCK_SET");
        assertThatThrownBy(() -> Payloads.clock(new byte[9])).isInstanceOf(ProtocolException.class);
    }
}
