#!/usr/bin/env bash
# Cache benchmarks. Prints BENCH lines (see bench/run). Needs Redis ($REDIS_URL, default
# redis://127.0.0.1:6379/14; keys under vigil:bench:, removed afterwards).
#   cache.l1_get          L1 hit of a two-level cache vs raw Caffeine getIfPresent (recordStats), 2 threads;
#                         median of 3 rounds alternating baseline and Vigil, each round's ratio on the line
#   cache.l2_get          Redis-only cache get vs raw Lettuce sync GET
#   cache.two_level_zipf  Zipf(0.99) over 1M keys, L1 = 1 % of keys, two-level vs Redis-only; hit rates on the line
#   cache.hitrate.<trace> L1 hit rate on the LIRS traces of Caffeine's simulator jar vs an LRU of the same size
# About 3 minutes. Hit rates of Vigil and plain Caffeine vary by a few points between runs on loop and gli
# (asynchronous maintenance, lossy read buffers); the LRU baseline is deterministic.
# One case alone: java -cp $BENCH_JAR dev.vigil.bench.cache.CacheBench l1_get (or l2_get, two_level_zipf).
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run cache}"
sim_jar="${CAFFEINE_SIMULATOR_JAR:-${HOME}/.m2/repository/com/github/ben-manes/caffeine/simulator/3.1.8/simulator-3.1.8.jar}"
java -Xmx2g -cp "$BENCH_JAR" dev.vigil.bench.cache.CacheBench
java -Xmx1g -cp "$BENCH_JAR" dev.vigil.bench.cache.HitRateBench "$sim_jar" gli:500 loop:512 multi1:1000 sprite:1000
