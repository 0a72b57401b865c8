package dev.satflow.trainer;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.satflow.trainer.model.ModelConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The on-disk checkpoint layout: a directory with
 * <ul>
 *   <li>{@code model.json}: the {@link ModelConfig} that rebuilds the block and its input encoding</li>
 *   <li>{@code parameters.bin}: DJL's block parameter stream (weights and BatchNorm running statistics)</li>
 *   <li>{@code trainer.json}: {@link CheckpointInfo} (step count, optimiser settings, caller metadata)</li>
 * </ul>
 * A checkpoint is written to a sibling temporary directory, its files and the directory are fsynced, and it is
 * renamed into place (then the parent directory is fsynced), so a crash, even of the machine, never leaves a
 * half-written checkpoint under the final name: a {@code step-N} folder that exists is complete. Adam's moment estimates are not saved: a resumed run restarts
 * them from zero.
 */
public final class Checkpoints {

    public static final String MODEL_FILE = "model.json";
    public static final String PARAMETERS_FILE = "parameters.bin";
    public static final String TRAINER_FILE = "trainer.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {
    }

    /** Writes a checkpoint at {@code dir}, which must not exist yet (or be an empty directory). */
    public static void write(Path dir, ModelConfig config, Block block, CheckpointInfo info) {
        Path target = dir.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(target)) {
                try (Stream<Path> existing = Files.list(target)) {
                    if (existing.findAny().isPresent()) {
                        throw new IllegalArgumentException("checkpoint directory is not empty: " + target);
                    }
                }
                Files.delete(target);
            } else if (Files.exists(target)) {
                throw new IllegalArgumentException("checkpoint path is a file: " + target);
            }
            Files.createDirectories(target.getParent());
            Path staging = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            Files.createDirectory(staging);
            try {
                Files.writeString(staging.resolve(MODEL_FILE), config.toJson(), StandardCharsets.UTF_8);
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(staging.resolve(PARAMETERS_FILE))))) {
                    block.saveParameters(out);
                }
                Files.writeString(staging.resolve(TRAINER_FILE), JSON.writeValueAsString(info),
                        StandardCharsets.UTF_8);
                for (String f : new String[] {MODEL_FILE, PARAMETERS_FILE, TRAINER_FILE}) {
                    fsync(staging.resolve(f), false);
                }
                fsync(staging, true);
                moveIntoPlace(staging, target);
                fsync(target.getParent(), true);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(staging);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    public static ModelConfig readConfig(Path dir) {
        try {
            return ModelConfig.fromJson(Files.readString(dir.resolve(MODEL_FILE), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("not a checkpoint (no " + MODEL_FILE + "): " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointInfo readInfo(Path dir) {
        try {
            return JSON.readValue(Files.readString(dir.resolve(TRAINER_FILE), StandardCharsets.UTF_8),
                    CheckpointInfo.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("not a checkpoint (no " + TRAINER_FILE + "): " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills a freshly constructed block's parameters from the checkpoint; arrays go to {@code manager}. */
    public static void loadParameters(Path dir, Block block, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(dir.resolve(PARAMETERS_FILE))))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("parameters do not match model.json in " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read parameters from " + dir, e);
        }
    }

    /** Forces a file's (or a directory's entries') data to disk; directories only where the OS allows it. */
    static void fsync(Path path, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // some platforms cannot open or sync a directory; the rename is still atomic there
        }
    }

    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a stray hidden temp directory is harmless
        }
    }
}
