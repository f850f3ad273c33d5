package org.rnnprop.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that split a range into chunks, claimed dynamically. The caller works too.
 * Dispatch allocates nothing, so a step that uses it produces no garbage.
 */
final class WorkerPool implements AutoCloseable {

    /** The work for one chunk {@code [start, end)}, run by worker {@code worker} (0 is the caller). */
    interface Body {
        void run(int worker, int start, int end);
    }

    private final Thread[] threads;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    private Body body;
    private int n;
    private int chunk;

    /** Starts {@code workers - 1} threads; the caller of {@link #run} is worker 0. */
    WorkerPool(int workers, String name) {
        threads = new Thread[Math.max(0, workers - 1)];
        for (int i = 0; i < threads.length; i++) {
            int id = i + 1;
            threads[i] = new Thread(() -> loop(id), name + "-" + id);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Number of workers, the caller included. */
    int workers() {
        return threads.length + 1;
    }

    /** Runs {@code body} over {@code [0, n)} in chunks of {@code chunk}; returns when all are done. */
    synchronized void run(int n, int chunk, Body body) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        this.body = body;
        this.n = n;
        this.chunk = chunk;
        this.failure = null;
        this.caller = Thread.currentThread();
        nextChunk.set(0);
        running.set(threads.length);
        generation++; // volatile write publishes the fields above
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        try {
            work(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        while (running.get() > 0) {
            LockSupport.park(this);
        }
        this.body = null;
        Throwable f = failure;
        if (f instanceof RuntimeException r) {
            throw r;
        } else if (f instanceof Error e) {
            throw e;
        }
    }

    private void work(int worker) {
        int chunks = (n + chunk - 1) / chunk;
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
            int start = c * chunk;
            body.run(worker, start, Math.min(n, start + chunk));
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            while (generation == seen && !closed) {
                LockSupport.park(this);
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                work(id);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
