package dev.vigil.backup.engine;

import dev.vigil.backup.compress.Compression;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where an engine writes a dump.
 *
 * @param out the stream (checksum, and compression unless the engine compresses itself, already
 *     attached); engines write the dump here
 * @param directFile when not {@code null}, an engine that produces a file (SQLite) may write the
 *     uncompressed backup straight to this path instead of {@code out}, saving a copy
 * @param workDir a directory on the backup's file system for an engine's intermediate files
 * @param internalCompression the compression the engine applies itself (see
 *     {@link DumpEngine#compressesItself(Compression)}), else {@link Compression#NONE}
 */
public record DumpSink(OutputStream out, Path directFile, Path workDir, Compression internalCompression) {
}
