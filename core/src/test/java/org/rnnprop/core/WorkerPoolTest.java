package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    /**
     * A caller whose interrupt flag is set, waiting for a worker still busy, parks instead of spinning (park
     * returns at once while the flag is set), and still has the flag afterwards.
     */
    @Test
    void anInterruptedCallerWaitsWithoutBurningACore() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            CountDownLatch workerStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            long[] cpuAtInterrupt = new long[1];
            // Two chunks: the caller takes the first and, inside it, waits for the worker to take the second, then
            // sets its own interrupt flag; the worker holds its chunk 300 ms, which the caller waits out.
            WorkerPool.Body body = (worker, start, end) -> {
                if (worker != 0) {
                    workerStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    while (workerStarted.getCount() > 0) {
                        Thread.onSpinWait();
                    }
                    Thread.currentThread().interrupt();
                    cpuAtInterrupt[0] = mx.getCurrentThreadCpuTime();
                }
            };
            Thread releaser = new Thread(() -> {
                try {
                    workerStarted.await();
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } finally {
                    release.countDown();
                }
            });
            releaser.start();
            long[] waitCpuNanos = new long[1];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                pool.run(2, 1, body);
                waitCpuNanos[0] = mx.getCurrentThreadCpuTime() - cpuAtInterrupt[0];
                assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept");
            });
            releaser.join();
            // Spinning for the 300 ms the worker holds its chunk would cost about that much CPU time.
            assertTrue(waitCpuNanos[0] < 100_000_000L, "caller used " + waitCpuNanos[0] / 1e6 + " ms of CPU waiting");
        }
    }

    /** close() while a run is in progress lets the run finish every chunk, then stops the threads. */
    @Test
    void closeDuringARunWaitsForItAndDoesNotHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int round = 0; round < 200; round++) {
                WorkerPool pool = new WorkerPool(3, "test-pool");
                AtomicInteger done = new AtomicInteger();
                CountDownLatch running = new CountDownLatch(1);
                Thread caller = new Thread(() -> pool.run(64, 1, (worker, start, end) -> {
                    running.countDown();
                    done.incrementAndGet();
                }));
                caller.start();
                running.await();
                pool.close();
                caller.join();
                assertEquals(64, done.get(), "round " + round);
                assertThrows(IllegalStateException.class, () -> pool.run(1, 1, (w, s, e) -> { }));
            }
        });
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(100, 1,
                    (worker, start, end) -> {
                        if (start == 57) {
                            throw new IllegalArgumentException("chunk 57");
                        }
                    }));
            assertEquals("chunk 57", e.getMessage());
            AtomicInteger chunks = new AtomicInteger();
            pool.run(100, 7, (worker, start, end) -> chunks.addAndGet(end - start));
            assertEquals(100, chunks.get(), "the pool still works after a failure");
        }
    }

    @Test
    void threadCountIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0, "test-pool"));
    }
}
