package dev.satflow.ops.export;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an export wrote.
 *
 * @param format            the format
 * @param dir               the export directory (absolute)
 * @param questions         questions written
 * @param duplicatesSkipped questions not written because a question with the same qaId already was
 * @param counts            split → question type → questions written
 * @param files             the data files (Parquet files, JSON / JSON-lines files, tar shards), relative to
 *                          {@code dir} with '/' separators, sorted; image files are counted in {@code images}
 * @param images            image files written (llava, jsonl: files under {@code images/}, a frame shown without
 *                          marks written once however many questions show it) or images stored inside the data
 *                          files (sat-parquet, webdataset: one per question image)
 * @param imageBytes        bytes of those images
 * @param generatorVersions "qa", "scene", "renderer" → the versions seen on the questions written
 *                          ({@code generatorVersion}, {@code lineage.sceneGeneratorVersion},
 *                          {@code lineage.rendererVersion})
 * @param minSceneSeed      smallest {@code lineage.sceneSeed} written (null when nothing was written)
 * @param maxSceneSeed      largest {@code lineage.sceneSeed} written (null when nothing was written)
 */
public record Summary(Format format, Path dir, long questions, long duplicatesSkipped,
        SortedMap<String, SortedMap<String, Long>> counts, List<FileEntry> files, long images, long imageBytes,
        SortedMap<String, SortedSet<String>> generatorVersions, Long minSceneSeed, Long maxSceneSeed) {

    /** A data file of the export: path relative to the export directory ('/' separators) and size. */
    public record FileEntry(String path, long bytes) {}

    public Summary {
        SortedMap<String, SortedMap<String, Long>> c = new TreeMap<>();
        counts.forEach((split, byType) -> c.put(split, Collections.unmodifiableSortedMap(new TreeMap<>(byType))));
        counts = Collections.unmodifiableSortedMap(c);
        files = List.copyOf(files);
        SortedMap<String, SortedSet<String>> v = new TreeMap<>();
        generatorVersions.forEach((k, s) -> v.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(s))));
        generatorVersions = Collections.unmodifiableSortedMap(v);
    }

    /** Questions per split. */
    public SortedMap<String, Long> bySplit() {
        SortedMap<String, Long> out = new TreeMap<>();
        counts.forEach((split, byType) -> out.put(split, byType.values().stream().mapToLong(Long::longValue).sum()));
        return out;
    }

    /** Questions per type, over all splits. */
    public SortedMap<String, Long> byType() {
        SortedMap<String, Long> out = new TreeMap<>();
        counts.values().forEach(byType -> byType.forEach((t, n) -> out.merge(t, n, Long::sum)));
        return out;
    }

    /** Bytes of the data files (image files of llava / jsonl not included: see {@link #imageBytes()}). */
    public long fileBytes() {
        return files.stream().mapToLong(FileEntry::bytes).sum();
    }

    /** Everything written: data files plus separate image files (for the formats that have them). */
    public long totalBytes() {
        return fileBytes() + (format == Format.LLAVA || format == Format.JSONL ? imageBytes : 0);
    }
}
