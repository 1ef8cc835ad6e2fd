package dev.vigil.insight;

/**
 * A replica streaming from this server, or this server when it is itself a replica.
 *
 * @param name the replica's application name or address
 * @param state streaming state
 * @param lagBytes WAL / binlog bytes not yet replayed ({@code -1} when unknown)
 * @param lagSeconds replay delay in seconds ({@code -1} when unknown)
 */
public record Replica(String name, String state, long lagBytes, double lagSeconds) {
}
