"""Fan `llmcost simulate` out over a Spark cluster with RDD.pipe.

    spark-submit --files scripts/fanout/spark-shard.sh \
        scripts/fanout/spark_pipe.py SHARDS LOGS OUT_DIR [SIMULATE FLAGS...]

One RDD element per shard, one partition per element: each executor pipes
"INDEX SHARDS LOGS" to spark-shard.sh, which runs `llmcost simulate
--partial --shard-key prefix --shard INDEX/SHARDS LOGS` and prints the
partial report as one line. The driver writes the reports to OUT_DIR and
`llmcost merge` (on the driver) combines them into the simulation of the
whole log. LOGS must be readable from every executor (a shared file system,
or a mount of the object store); every executor reads all of it and keeps
its own requests. The executors need llmcost on PATH.

scripts/fanout/fanout_test.go feeds spark-shard.sh exactly these lines and
checks the merge against one run over the whole log.
"""
import os
import subprocess
import sys

from pyspark.sql import SparkSession


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    shards, logs, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    flags = " ".join(sys.argv[4:])
    spark = SparkSession.builder.appName("llmcost-simulate").getOrCreate()
    sc = spark.sparkContext
    lines = [f"{i} {shards} {logs}" for i in range(shards)]
    env = {"LLMCOST_SIMULATE_FLAGS": flags}
    reports = sc.parallelize(lines, shards).pipe("./spark-shard.sh", env=env).collect()
    if len(reports) != shards:
        sys.exit(f"{len(reports)} reports for {shards} shards")
    os.makedirs(out, exist_ok=True)
    paths = []
    for i, r in enumerate(reports):
        p = os.path.join(out, f"shard-{i}.json")
        with open(p, "w") as f:
            f.write(r + "\n")
        paths.append(p)
    subprocess.run(["llmcost", "merge", "--format", "markdown", "-o", os.path.join(out, "savings.md")] + paths, check=True)
    spark.stop()


if __name__ == "__main__":
    main()
