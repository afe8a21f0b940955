package io.github.tokenrefresh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void shouldStandStillUntilMoved() {
        ManualClock clock = new ManualClock();

        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
        assertThat(clock.millis()).isEqualTo(ManualClock.DEFAULT_START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusMillis(1500));
    }

    @Test
    void shouldRefuseToAdvanceBackwards() {
        ManualClock clock = new ManualClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set(Instant)");
    }

    @Test
    void shouldLetSetMoveTheClockEitherWay() {
        Instant start = Instant.parse("2024-05-01T10:00:00Z");
        ManualClock clock = new ManualClock(start);

        clock.set(start.plusSeconds(30));
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(30));
        clock.set(start.minusSeconds(30));
        assertThat(clock.instant()).isEqualTo(start.minusSeconds(30));
    }

    @Test
    void shouldKeepAZonedViewInStepWithTheClock() {
        ManualClock clock = new ManualClock();
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(5));

        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }
}
