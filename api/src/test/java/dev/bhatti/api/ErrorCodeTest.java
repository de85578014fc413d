package dev.bhatti.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    @Test
    void everyCodeRoundTripsThroughItsWireForm() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.of(c.code())).contains(c);
            assertThat(c.code()).matches("[a-z]+(_[a-z]+)*");
        }
        assertThat(ErrorCode.of("no_such_code")).isEmpty();
    }

    @Test
    void everyCodeHasAnErrorStatusAndAMeaning() {
        assertThat(ErrorCode.values()).allSatisfy(c -> {
            assertThat(c.status()).isBetween(400, 599);
            assertThat(c.meaning()).isNotBlank().doesNotContain("\n");
        });
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::status).distinct())
                .as("statuses in use").contains(400, 401, 404, 409, 429, 500, 502, 503, 507);
    }
}
