package io.github.tokenrefresh.testing;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where token endpoint handlers wait: at the gate while a test holds responses, and through
 * scripted delays. Closing the gate wakes every waiter at once, so stopping a server never waits
 * for a held or delayed request.
 */
final class ResponseGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean holding;
    private boolean closed;
    private int held;

    // Bumped by each release, so a request released a moment before the next hold() is not
    // caught again by that hold.
    private long generation;

    void hold() {
        lock.lock();
        try {
            holding = true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            holding = false;
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits while responses are held; false if the gate closed, meaning the caller should abort. */
    boolean pass() {
        lock.lock();
        try {
            if (!holding) {
                return !closed;
            }

            long myGeneration = generation;
            held++;
            changed.signalAll();
            try {
                while (holding && generation == myGeneration && !closed) {
                    changed.await();
                }
            } finally {
                held--;
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code delay} of real time; false if the gate closed first. */
    boolean pause(Duration delay) {
        long remaining = delay.toNanos();
        lock.lock();
        try {
            while (!closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    int heldCount() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (held < count) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
