package dev.satflow.trainer.stream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The trainer's record of what it trained on: one tab-separated line per example of every step,
 * {@code step  kind  qaId  stage  source}, kind {@code fresh} or {@code rehearsal} (drawn again from the
 * reservoir), source {@code topic-partition@offset} of a fresh example. One file per process start,
 * {@code OUT/train-log/RUN/session-<utc time>-<pid>.tsv}, flushed after every step (a killed process loses at most
 * the line being written; lines are complete or cut at the end).
 */
public final class ExampleLog implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final BufferedWriter out;

    private ExampleLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** The folder of a run's logs. */
    public static Path folder(Path outDir, String runId) {
        return outDir.resolve("train-log").resolve(runId);
    }

    public static ExampleLog open(Path outDir, String runId) {
        Path dir = folder(outDir, runId);
        Path file = dir.resolve("session-" + STAMP.format(Instant.now()) + "-"
                + ManagementFactory.getRuntimeMXBean().getPid() + ".tsv");
        try {
            Files.createDirectories(dir);
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write("# step\tkind\tqaId\tstage\tsource\n");
            w.flush();
            return new ExampleLog(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the example log " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    public void line(long step, boolean rehearsal, String qaId, int stage, String source) {
        try {
            out.write(Long.toString(step));
            out.write('\t');
            out.write(rehearsal ? "rehearsal" : "fresh");
            out.write('\t');
            out.write(qaId);
            out.write('\t');
            out.write(Integer.toString(stage));
            out.write('\t');
            out.write(source);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the example log " + file, e);
        }
    }

    /** Hands the step's lines to the OS (they survive a killed process; not fsynced). */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the example log " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
