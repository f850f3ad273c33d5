package org.rnnprop.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that split a range into chunks, claimed dynamically. The caller works too.
 * Dispatch allocates nothing, so a step that uses it produces no garbage.
 *
 * <p>Made for machines whose cores are also busy with a framework's own threads, or with other processes:
 * <ul>
 *   <li>idle workers and a waiting caller park, they never spin, so they take no core from anyone;</li>
 *   <li>the caller waits only for chunks a worker has started, never for a worker to wake up: if the workers are
 *       slow to be scheduled, the caller claims every chunk itself and returns (a worker that wakes late finds
 *       nothing left and parks again), so a busy machine degrades to one thread, not to a stall;</li>
 *   <li>{@link #close()} waits for a run in progress, and a caller whose interrupt flag is set waits without
 *       burning a core (the flag is kept).</li>
 * </ul>
 */
final class WorkerPool implements AutoCloseable {

    /** The work for one chunk {@code [start, end)}, run by worker {@code worker} (0 is the caller). */
    interface Body {
        void run(int worker, int start, int end);
    }

    private final Thread[] threads;
    /** The run's number (high 32 bits) and its next unclaimed chunk (low 32 bits), claimed by compare-and-set. */
    private final AtomicLong cursor = new AtomicLong();
    /** Chunks of the current run finished (or abandoned after a failure). */
    private final AtomicInteger done = new AtomicInteger();
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    // Written by run() before the volatile write of cursor that starts a run; read by workers after a claim.
    private Body body;
    private int n;
    private int chunk;
    private int chunks;
    private int generation;

    /** Starts {@code workers - 1} threads; the caller of {@link #run} is worker 0. */
    WorkerPool(int workers, String name) {
        if (workers < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + workers);
        }
        threads = new Thread[workers - 1];
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
        int total = (n + chunk - 1) / chunk;
        if (total == 0) {
            return;
        }
        this.body = body;
        this.n = n;
        this.chunk = chunk;
        this.chunks = total;
        this.failure = null;
        this.caller = Thread.currentThread();
        done.set(0);
        int gen = ++generation;
        cursor.set((long) gen << 32); // volatile write: publishes the fields above
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        work(0, gen);
        // park returns at once while the interrupt flag is set: clear it while waiting, set it again after.
        boolean interrupted = false;
        while (done.get() < total) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        this.body = null;
        Throwable f = failure;
        if (f instanceof RuntimeException r) {
            throw r;
        } else if (f instanceof Error e) {
            throw e;
        }
    }

    /** Claims and runs chunks of run {@code gen} until none is left (or another run has begun). */
    private void work(int worker, int gen) {
        while (true) {
            long c = cursor.get();
            int next = (int) c;
            if ((int) (c >>> 32) != gen || next >= chunks) {
                return;
            }
            if (!cursor.compareAndSet(c, c + 1)) {
                continue;
            }
            // A claimed chunk keeps run gen from finishing, so the fields read below are that run's.
            int start = next * chunk;
            try {
                if (failure == null) {
                    body.run(worker, start, Math.min(n, start + chunk));
                }
            } catch (RuntimeException | Error e) {
                failure = e; // the remaining chunks are counted, not run
            }
            if (done.incrementAndGet() == chunks && worker != 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            int gen = (int) (cursor.get() >>> 32);
            if (gen != seen) {
                seen = gen;
                work(id, gen);
            } else if (closed) {
                return;
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** Stops the threads once a run in progress (on another thread) has finished; later runs fail. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /**
     * The threads every kernel made without a thread count shares: {@code rnnprop.threads} (a system property)
     * workers, by default one per available processor. Created on first use; daemons that live as long as the
     * process.
     */
    static WorkerPool shared() {
        return Shared.POOL;
    }

    /** Workers of the shared pool: the {@code rnnprop.threads} system property, else the processor count. */
    static int sharedSize() {
        String v = System.getProperty("rnnprop.threads");
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.strip());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property rnnprop.threads must be a whole number >= 1, got '"
                + v + "'");
    }

    private static final class Shared {
        static final WorkerPool POOL = new WorkerPool(sharedSize(), "rnnprop-step-shared");
    }
}
