package io.github.tokenrefresh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void shouldRunDueTasksInDueOrderWithTheClockAtEachDueTime() {
        scheduler.schedule(() -> log.add("c@" + secondsSinceStart()), 30, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("a@" + secondsSinceStart()), 10, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("b@" + secondsSinceStart()), 20, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(25));

        assertThat(log).containsExactly("a@10", "b@20");
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(25));
        assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
        assertThat(scheduler.nextDueTime()).hasValue(ManualClock.DEFAULT_START.plusSeconds(30));
    }

    @Test
    void shouldRunTasksDueAtTheSameTimeInTheOrderScheduled() {
        for (String name : List.of("first", "second", "third")) {
            scheduler.schedule(() -> log.add(name), 5, TimeUnit.SECONDS);
        }

        clock.advance(Duration.ofSeconds(5));

        assertThat(log).containsExactly("first", "second", "third");
    }

    @Test
    void shouldQueueExecutedTasksUntilPumped() throws Exception {
        scheduler.execute(() -> log.add("executed"));
        Future<String> submitted = scheduler.submit(() -> "result");

        assertThat(log).isEmpty();
        assertThat(submitted).isNotDone();

        assertThat(scheduler.runDueTasks()).isEqualTo(2);

        assertThat(log).containsExactly("executed");
        assertThat(submitted.get()).isEqualTo("result");
    }

    @Test
    void shouldRunTasksScheduledByATaskWhenTheyFallDueWithinTheSameAdvance() {
        scheduler.schedule(() -> {
            log.add("outer@" + secondsSinceStart());
            scheduler.schedule(() -> log.add("inner@" + secondsSinceStart()), 5, TimeUnit.SECONDS);
        }, 10, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(20));

        assertThat(log).containsExactly("outer@10", "inner@15");
    }

    @Test
    void shouldReportDelayAgainstTheManualClockAndCancel() {
        ScheduledFuture<?> future = scheduler.schedule(() -> log.add("never"), 60, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(15));
        assertThat(future.getDelay(TimeUnit.SECONDS)).isEqualTo(45);

        assertThat(future.cancel(false)).isTrue();
        clock.advance(Duration.ofMinutes(5));

        assertThat(log).isEmpty();
        assertThat(future.isCancelled()).isTrue();
        assertThat(scheduler.pendingTaskCount()).isZero();
    }

    @Test
    void shouldRunAFixedRateTaskOncePerPeriodCrossed() {
        ScheduledFuture<?> future = scheduler.scheduleAtFixedRate(
                () -> log.add("tick@" + secondsSinceStart()), 1, 2, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(6));
        future.cancel(false);
        clock.advance(Duration.ofSeconds(10));

        assertThat(log).containsExactly("tick@1", "tick@3", "tick@5");
    }

    @Test
    void shouldMeasureAFixedDelayFromTheEndOfEachRun() {
        scheduler.scheduleWithFixedDelay(() -> {
            log.add("run@" + secondsSinceStart());
            // A run that takes clock time pushes the next one back.
            clock.advance(Duration.ofSeconds(1));
        }, 0, 3, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(10));

        assertThat(log).containsExactly("run@0", "run@4", "run@8");
    }

    @Test
    void shouldKeepWhatATaskThrowsAndStopAFailingPeriodicTask() {
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
            log.add("attempt");
            throw new IllegalStateException("boom");
        }, 1, 1, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(5));

        assertThat(log).containsExactly("attempt");
        assertThat(periodic.isDone()).isTrue();
        assertThatThrownBy(periodic::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
        assertThat(scheduler.failures()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldOrderTasksAcrossSchedulersOnOneClock() {
        ManualScheduler other = new ManualScheduler(clock);
        scheduler.schedule(() -> log.add("mine@2"), 2, TimeUnit.SECONDS);
        other.schedule(() -> log.add("other@1"), 1, TimeUnit.SECONDS);
        other.schedule(() -> log.add("other@3"), 3, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(3));

        assertThat(log).containsExactly("other@1", "mine@2", "other@3");
    }

    @Test
    void shouldCancelPeriodicTasksButRunQueuedOnesAfterShutdown() throws Exception {
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> log.add("tick"), 1, 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("last"), 5, TimeUnit.SECONDS);

        scheduler.shutdown();

        assertThat(periodic.isCancelled()).isTrue();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.isTerminated()).isFalse();
        assertThatThrownBy(() -> scheduler.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);

        clock.advance(Duration.ofSeconds(5));

        assertThat(log).containsExactly("last");
        assertThat(scheduler.isTerminated()).isTrue();
        assertThat(scheduler.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldHandBackUnrunTasksOnShutdownNow() {
        Runnable later = () -> log.add("later");
        ScheduledFuture<?> future = scheduler.schedule(later, 1, TimeUnit.MINUTES);

        List<Runnable> neverRun = scheduler.shutdownNow();

        assertThat(neverRun).containsExactly(later);
        assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
        assertThat(scheduler.isTerminated()).isTrue();
    }

    @Test
    void shouldRunInvokeAllOnTheCallingThread() throws Exception {
        List<Callable<String>> tasks = List.of(() -> "x", () -> Thread.currentThread().getName());

        List<Future<String>> results = scheduler.invokeAll(tasks);

        assertThat(results.get(0).get()).isEqualTo("x");
        assertThat(results.get(1).get()).isEqualTo(Thread.currentThread().getName());
        Callable<String> failing = () -> {
            throw new IllegalStateException("first fails");
        };
        String firstSuccess = scheduler.invokeAny(List.of(failing, () -> "second"));
        assertThat(firstSuccess).isEqualTo("second");
    }

    @Test
    void shouldTreatAHugeDelayAsNever() {
        ScheduledFuture<?> future = scheduler.schedule(() -> log.add("never"), Long.MAX_VALUE, TimeUnit.DAYS);

        clock.advance(Duration.ofDays(365 * 100));

        assertThat(log).isEmpty();
        assertThat(future.getDelay(TimeUnit.DAYS)).isPositive();
    }

    private long secondsSinceStart() {
        return Duration.between(ManualClock.DEFAULT_START, clock.instant()).toSeconds();
    }
}
