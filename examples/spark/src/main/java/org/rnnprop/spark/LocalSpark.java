package org.rnnprop.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context in local mode that listens on the loopback interface only and starts no web UI: what the tests
 * and {@link SparkComparison} run on. On a cluster, {@code spark-submit} makes the context instead.
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    /**
     * Starts a local context with {@code threads} executor threads (Spark allows one context per JVM).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static JavaSparkContext start(String appName, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        SparkConf conf = new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName(appName)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        return new JavaSparkContext(conf);
    }
}
