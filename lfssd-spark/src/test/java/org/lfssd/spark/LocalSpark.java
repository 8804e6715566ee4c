package org.lfssd.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local[2] SparkSession of the test JVM, shared by the test classes (starting Spark costs more CPU
 * than most of the tests). Spark's shutdown hook stops it when the JVM exits.
 */
final class LocalSpark {
    private LocalSpark() {}

    static synchronized SparkSession session() {
        SparkSession spark = SparkSession.builder()
                .appName("lfssd-spark-test")
                .master("local[2,2]")                       // two cores; a failed task is retried once
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
