package org.rnnprop.spark;

import org.apache.spark.api.java.JavaSparkContext;

/** The one local Spark context of the test JVM (Spark allows one per JVM), started on first use. */
final class SharedSpark {
    /** Executor threads: two workers run at once. */
    static final int THREADS = 2;

    private static JavaSparkContext context;

    private SharedSpark() {
    }

    static synchronized JavaSparkContext context() {
        if (context == null) {
            context = LocalSpark.start("rnnprop-spark-tests", THREADS);
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }
}
