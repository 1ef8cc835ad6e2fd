package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The cgroup limits of the container Vigil runs in. Present in a reading only when at least one limit
 * applies (a memory limit below the host's RAM or a CPU quota); the reading's RAM and CPU figures are
 * then relative to these limits.
 *
 * @param cgroupVersion 1 or 2
 * @param memoryLimitBytes the memory limit, or {@code null} when memory is not limited
 * @param memoryUsedBytes memory charged to the cgroup minus its inactive page cache (what
 *     {@code docker stats} shows), or {@code null} when memory is not limited
 * @param cpuLimitCores the CPU quota in cores (quota / period), or {@code null} when CPU is not limited
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerLimits(
    @JsonProperty("cgroup_version") int cgroupVersion,
    @JsonProperty("memory_limit_bytes") Long memoryLimitBytes,
    @JsonProperty("memory_used_bytes") Long memoryUsedBytes,
    @JsonProperty("cpu_limit_cores") Double cpuLimitCores) {
}
