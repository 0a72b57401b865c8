package dev.satflow.ops.export;

import dev.satflow.core.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The file formats satflow exports questions to, for training with outside tools. */
public enum Format {
    /**
     * HF {@code array/SAT} Parquet: {@code image_bytes list<binary>, question string, answers list<string>,
     * question_type string, correct_answer string}; {@code <split>.parquet} (or
     * {@code <split>-00000-of-000NN.parquet} shards).
     */
    SAT_PARQUET("sat-parquet"),
    /** LLaVA conversation JSON: {@code llava_<split>.json} (one array) plus {@code images/<scene>/...}. */
    LLAVA("llava"),
    /** WebDataset tar shards: {@code <split>-000000.tar} with {@code <key>.0.png [<key>.1.png] <key>.json}. */
    WEBDATASET("webdataset"),
    /** One JSON record per line, {@code <split>.jsonl}, plus {@code images/<scene>/...}. */
    JSONL("jsonl");

    private final String id;

    Format(String id) {
        this.id = id;
    }

    /** The name used on the command line and in manifest.json ({@code sat-parquet}, {@code llava}, ...). */
    public String id() {
        return id;
    }

    /**
     * The format named {@code id} (case-insensitive; the enum constant's name is accepted too).
     *
     * @throws IllegalArgumentException naming the value and the formats there are
     */
    public static Format parse(String id) {
        for (Format f : values()) {
            if (f.id.equalsIgnoreCase(id) || f.name().equalsIgnoreCase(id)) {
                return f;
            }
        }
        throw new ConfigException("format '" + id + "': must be one of "
                + Arrays.stream(values()).map(Format::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
