package dev.satflow.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.satflow.trainer.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns {@link TrainingExample}s into the tensors {@link dev.satflow.trainer.model.SpatialQaModel} expects.
 *
 * <p>All host-side staging happens in two direct buffers that are reused across batches and only grow: a
 * fresh direct buffer per step is freed only when the Java GC runs and was measured to grow RSS by
 * ~0.4 MB/step. Tensors are first created as views of those buffers and then copied into libtorch-owned
 * memory (the image copy is the uint8-to-float conversion anyway), so the returned batch stays valid even
 * after the buffers are refilled for the next batch.
 *
 * <p>PNG decoding is the expensive part of assembly and happens while libtorch is idle, so it is spread over
 * {@code decodeThreads} threads (the calling thread included), each with its own {@link ImageDecoder}, writing
 * disjoint slices of the staging buffer.
 *
 * <p>Not thread-safe: call {@link #assemble} from one thread at a time. Close it to stop the decode threads.
 */
public final class BatchAssembler implements AutoCloseable {
    /** Per named object in {@link AssembledBatch#boxes()}: x0, y0, x1, y1, depth. */
    public static final int BOX_VALUES = 5;
    /** The {@code choiceNumber} input of a choice that states no number. */
    public static final float NOT_A_NUMBER = -1f;

    private final ModelConfig config;
    private final TextEncoder text;
    private final ImageDecoder[] decoders;
    private final ExecutorService decodePool;
    /** Null when caching is off. */
    private final DecodedImageCache cache;
    private ByteBuffer imageStaging = ByteBuffer.allocateDirect(0);
    private ByteBuffer scalarStaging = ByteBuffer.allocateDirect(0);
    private long[] questionIds = new long[0];
    private long[] choiceIds = new long[0];

    /**
     * @param decodeThreads threads decoding PNGs, the caller's included; 1 decodes inline, 0 or less means one
     *                      per available processor
     */
    public BatchAssembler(ModelConfig config, TextEncoder text, int decodeThreads) {
        this(config, text, decodeThreads, 0);
    }

    /**
     * @param cacheBytes keep up to this many bytes of decoded images, so a question assembled again (the next pass,
     *                   a rehearsal) skips decoding; 0 turns the cache off
     */
    public BatchAssembler(ModelConfig config, TextEncoder text, int decodeThreads, long cacheBytes) {
        if (text.maxQuestionTokens() != config.maxQuestionTokens()
                || text.maxChoiceTokens() != config.maxChoiceTokens()) {
            throw new IllegalArgumentException("text encoder lengths do not match the model config");
        }
        this.config = config;
        this.text = text;
        int threads = decodeThreads > 0 ? decodeThreads : Runtime.getRuntime().availableProcessors();
        this.decoders = new ImageDecoder[threads];
        for (int i = 0; i < threads; i++) {
            decoders[i] = new ImageDecoder(config.imageSize());
        }
        this.decodePool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, new DecodeThreads());
        this.cache = cacheBytes > 0 ? new DecodedImageCache(cacheBytes, 3 * config.imageSize() * config.imageSize())
                : null;
    }

    /** Images taken from the decoded-image cache so far (0 without one). */
    public long cacheHits() {
        return cache == null ? 0 : cache.hits();
    }

    /** Images decoded while a cache was on (0 without one). */
    public long cacheMisses() {
        return cache == null ? 0 : cache.misses();
    }

    /** Decodes on every available processor. */
    public BatchAssembler(ModelConfig config) {
        this(config, new TextEncoder(config), 0);
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Decodes, tokenises and stacks {@code examples} into tensors owned by {@code manager}.
     *
     * @throws IllegalArgumentException for an empty batch, more choices than the model has slots, or an
     *                                  unreadable image (the message names the example)
     */
    public AssembledBatch assemble(List<TrainingExample> examples, NDManager manager) {
        int b = examples.size();
        if (b == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int maxChoices = config.maxChoices();
        int lq = config.maxQuestionTokens();
        int lc = config.maxChoiceTokens();
        int imageBytes = 3 * config.imageSize() * config.imageSize();

        int twoImage = 0;
        for (TrainingExample e : examples) {
            if (e.choices().size() > maxChoices) {
                throw new IllegalArgumentException(e.qaId() + ": " + e.choices().size()
                        + " choices but the model has " + maxChoices + " slots");
            }
            if (e.hasSecondImage()) {
                twoImage++;
            }
        }
        int rows = b + twoImage;

        // Images: B first views, then the second views in example order.
        imageStaging = ensureCapacity(imageStaging, (long) rows * imageBytes);
        int[] exampleOfRow = new int[rows];
        int[] viewOfRow = new int[rows];
        long[] secondIndex = new long[b];
        float[] hasSecond = new float[b];
        int secondRow = b;
        for (int i = 0; i < b; i++) {
            exampleOfRow[i] = i;
            if (examples.get(i).hasSecondImage()) {
                exampleOfRow[secondRow] = i;
                viewOfRow[secondRow] = 1;
                secondIndex[i] = secondRow++;
                hasSecond[i] = 1f;
            } else {
                secondIndex[i] = rows; // the model's all-zero "no second view" row
            }
        }
        decodeAll(examples, exampleOfRow, viewOfRow, imageBytes);

        if (questionIds.length < b * lq) {
            questionIds = new long[b * lq];
        }
        if (choiceIds.length < b * maxChoices * lc) {
            choiceIds = new long[b * maxChoices * lc];
        }
        boolean[] mask = new boolean[b * maxChoices];
        float[] choiceNumbers = new float[b * maxChoices];
        Arrays.fill(choiceNumbers, NOT_A_NUMBER);
        long[] labels = new long[b];
        for (int i = 0; i < b; i++) {
            TrainingExample e = examples.get(i);
            text.encode(e.question(), lq, questionIds, i * lq);
            List<String> choices = e.choices();
            for (int c = 0; c < maxChoices; c++) {
                int at = (i * maxChoices + c) * lc;
                if (c < choices.size()) {
                    text.encode(choices.get(c), lc, choiceIds, at);
                    mask[i * maxChoices + c] = true;
                    choiceNumbers[i * maxChoices + c] = number(choices.get(c));
                } else {
                    Arrays.fill(choiceIds, at, at + lc, TextEncoder.PAD);
                }
            }
            labels[i] = e.correctIndex();
        }

        int s = config.imageSize();
        NDArray pixels = manager.create(imageStaging.slice(0, rows * imageBytes), new Shape(rows, 3, s, s),
                DataType.UINT8);
        NDArray images = pixels.toType(DataType.FLOAT32, false).divi(255f);
        pixels.close();

        // Small arrays share one staging buffer, each at an 8-byte aligned offset.
        long scalarBytes = 8L * (b + b + b * lq + (long) b * maxChoices * lc + b + b * maxChoices);
        scalarStaging = ensureCapacity(scalarStaging, scalarBytes);
        Stager stager = new Stager(scalarStaging, manager);
        NDArray secondIndexArray = stager.longs(secondIndex, 0, b, new Shape(b));
        NDArray hasSecondArray = stager.floats(hasSecond, new Shape(b));
        NDArray question = stager.longs(questionIds, 0, b * lq, new Shape(b, lq));
        NDArray choices = stager.longs(choiceIds, 0, b * maxChoices * lc, new Shape(b, maxChoices, lc));
        NDArray choiceMask = stager.booleans(mask, new Shape(b, maxChoices));
        NDArray labelArray = stager.longs(labels, 0, b, new Shape(b));

        // grounding: which roles each question names, which choice names which role, and where each role's
        // object is, as a distribution over the model's feature grid (box coverage per cell)
        int roles = config.maxRoles();
        int g = config.gridSize();
        float[] roleMask = new float[b * roles];
        float[] choiceRole = new float[b * maxChoices * roles];
        float[] targets = new float[b * roles * g * g];
        float[] boxes = new float[b * roles * BOX_VALUES];
        float[] countTargets = new float[b * g * g];
        float[] counts = new float[b];
        for (int i = BOX_VALUES - 1; i < boxes.length; i += BOX_VALUES) {
            boxes[i] = TrainingExample.Grounding.UNKNOWN_DEPTH;
        }
        for (int i = 0; i < b; i++) {
            TrainingExample e = examples.get(i);
            for (int c = 0; c < e.choices().size(); c++) {
                int r = e.choiceRoles().get(c);
                if (r >= 0 && r < roles) {
                    choiceRole[(i * maxChoices + c) * roles + r] = 1f;
                    roleMask[i * roles + r] = 1f;
                }
            }
            // counting: each counted instance adds its box coverage (summing to 1) to the density the head learns
            int count = e.countTarget();
            counts[i] = count;
            if (count > 0) {
                float[] one = new float[g * g];
                for (TrainingExample.Grounding gr : e.grounding()) {
                    if (gr.role() == TrainingExample.Grounding.COUNTED && coverage(gr, g, one, 0)) {
                        for (int k = 0; k < one.length; k++) {
                            countTargets[i * g * g + k] += one[k];
                        }
                    }
                }
            }
            for (TrainingExample.Grounding gr : e.grounding()) {
                if (gr.role() >= 0 && gr.role() < roles && coverage(gr, g, targets, (i * roles + gr.role()) * g * g)) {
                    roleMask[i * roles + gr.role()] = 1f;
                    int at = (i * roles + gr.role()) * BOX_VALUES;
                    boxes[at] = gr.x0();
                    boxes[at + 1] = gr.y0();
                    boxes[at + 2] = gr.x1();
                    boxes[at + 3] = gr.y1();
                    boxes[at + 4] = gr.depth();
                }
            }
        }
        NDArray roleMaskArray = manager.create(roleMask, new Shape(b, roles));
        NDArray choiceRoleArray = manager.create(choiceRole, new Shape(b, maxChoices, roles));
        NDArray targetArray = manager.create(targets, new Shape(b, roles, (long) g * g));
        NDArray boxArray = manager.create(boxes, new Shape(b, roles, BOX_VALUES));
        NDArray choiceNumberArray = manager.create(choiceNumbers, new Shape(b, maxChoices));
        NDArray countTargetArray = manager.create(countTargets, new Shape(b, (long) g * g));
        NDArray countArray = manager.create(counts, new Shape(b));

        NDList inputs = new NDList(images, secondIndexArray, hasSecondArray, question, choices, choiceMask,
                roleMaskArray, choiceRoleArray, choiceNumberArray);
        return new AssembledBatch(inputs, labelArray, b, twoImage, targetArray, boxArray, countTargetArray, countArray);
    }

    /** What a choice that is a whole number from 0 to 99 states ("3"), else {@link #NOT_A_NUMBER}. */
    static float number(String choice) {
        String t = choice.strip();
        if (t.isEmpty() || t.length() > 2) {
            return NOT_A_NUMBER;
        }
        for (int k = 0; k < t.length(); k++) {
            if (t.charAt(k) < '0' || t.charAt(k) > '9') {
                return NOT_A_NUMBER;
            }
        }
        return Integer.parseInt(t);
    }

    /**
     * Writes the share of the box in each cell of a g x g grid (row-major) at {@code at}, normalised to
     * sum 1; false (nothing written) for an empty box.
     */
    static boolean coverage(TrainingExample.Grounding box, int g, float[] out, int at) {
        double total = 0;
        for (int y = 0; y < g; y++) {
            double cy0 = (double) y / g;
            double cy1 = (double) (y + 1) / g;
            double oy = Math.max(0, Math.min(cy1, box.y1()) - Math.max(cy0, box.y0()));
            for (int x = 0; x < g; x++) {
                double cx0 = (double) x / g;
                double cx1 = (double) (x + 1) / g;
                double ox = Math.max(0, Math.min(cx1, box.x1()) - Math.max(cx0, box.x0()));
                double a = ox * oy;
                out[at + y * g + x] = (float) a;
                total += a;
            }
        }
        if (total <= 0) {
            return false;
        }
        for (int k = 0; k < g * g; k++) {
            out[at + k] /= (float) total;
        }
        return true;
    }

    /**
     * Fills row r from example exampleOfRow[r], view viewOfRow[r]: from the cache where it holds the image, else
     * decoded (the decoded rows split into contiguous shares over the decode threads) and then cached.
     */
    private void decodeAll(List<TrainingExample> examples, int[] exampleOfRow, int[] viewOfRow, int imageBytes) {
        if (cache == null) {
            decodeRows(examples, exampleOfRow, viewOfRow, null, imageBytes);
            return;
        }
        int[] missing = new int[exampleOfRow.length];
        String[] keys = new String[exampleOfRow.length];
        int misses = 0;
        for (int r = 0; r < exampleOfRow.length; r++) {
            keys[r] = DecodedImageCache.key(examples.get(exampleOfRow[r]), viewOfRow[r]);
            if (!cache.copyInto(keys[r], imageStaging, r * imageBytes)) {
                missing[misses++] = r;
            }
        }
        if (misses == 0) {
            return;
        }
        int[] decoded = Arrays.copyOf(missing, misses);
        decodeRows(examples, exampleOfRow, viewOfRow, decoded, imageBytes);
        for (int r : decoded) {
            cache.put(keys[r], imageStaging, r * imageBytes);
        }
    }

    /** Decodes the rows listed in {@code only} (every row when null) into the staging buffer. */
    private void decodeRows(List<TrainingExample> examples, int[] exampleOfRow, int[] viewOfRow, int[] only,
            int imageBytes) {
        int rows = only == null ? exampleOfRow.length : only.length;
        int shares = Math.min(decoders.length, rows);
        List<Future<?>> pending = new ArrayList<>(shares - 1);
        for (int s = 1; s < shares; s++) {
            int worker = s;
            pending.add(decodePool.submit(() -> decodeShare(worker, shares, examples, exampleOfRow, viewOfRow, only,
                    imageBytes)));
        }
        RuntimeException failure = null;
        try {
            decodeShare(0, shares, examples, exampleOfRow, viewOfRow, only, imageBytes);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding images", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void decodeShare(int share, int shares, List<TrainingExample> examples, int[] exampleOfRow,
            int[] viewOfRow, int[] only, int imageBytes) {
        ImageDecoder decoder = decoders[share];
        int rows = only == null ? exampleOfRow.length : only.length;
        int from = (int) ((long) rows * share / shares);
        int to = (int) ((long) rows * (share + 1) / shares);
        for (int i = from; i < to; i++) {
            int r = only == null ? i : only[i];
            TrainingExample e = examples.get(exampleOfRow[r]);
            try {
                decoder.decodeInto(e.images().get(viewOfRow[r]), e.marks(), viewOfRow[r], imageStaging, r * imageBytes);
            } catch (IllegalArgumentException ex) {
                throw new UnreadableImage(e, viewOfRow[r], ex);
            }
        }
    }

    /**
     * An example whose image does not decode (a valid signature can hide a corrupt body): names the example,
     * so a caller can drop it and assemble the rest.
     */
    public static final class UnreadableImage extends IllegalArgumentException {
        private final transient TrainingExample example;

        UnreadableImage(TrainingExample example, int view, IllegalArgumentException cause) {
            super(example.qaId() + ": image " + view + ": " + cause.getMessage(), cause);
            this.example = example;
        }

        public TrainingExample example() {
            return example;
        }
    }

    @Override
    public void close() {
        if (decodePool != null) {
            decodePool.shutdownNow();
        }
    }

    /** Daemon threads so a forgotten close never keeps a JVM alive. */
    private static final class DecodeThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, "satflow-png-decode-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    private static ByteBuffer ensureCapacity(ByteBuffer buffer, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch too large for one staging buffer: " + bytes + " bytes");
        }
        if (buffer.capacity() >= bytes) {
            return buffer;
        }
        // Grow with headroom so a slowly rising share of two-image examples doesn't reallocate every step.
        int capacity = (int) Math.min(Integer.MAX_VALUE, bytes + bytes / 2);
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** Copies Java arrays into consecutive aligned slices of the staging buffer and makes owned tensors. */
    private static final class Stager {
        private final ByteBuffer staging;
        private final NDManager manager;
        private int offset;

        Stager(ByteBuffer staging, NDManager manager) {
            this.staging = staging;
            this.manager = manager;
        }

        NDArray longs(long[] values, int from, int count, Shape shape) {
            ByteBuffer slice = next(8 * count);
            slice.asLongBuffer().put(values, from, count);
            return own(slice, shape, DataType.INT64);
        }

        NDArray floats(float[] values, Shape shape) {
            ByteBuffer slice = next(4 * values.length);
            slice.asFloatBuffer().put(values);
            return own(slice, shape, DataType.FLOAT32);
        }

        NDArray booleans(boolean[] values, Shape shape) {
            ByteBuffer slice = next(values.length);
            for (int i = 0; i < values.length; i++) {
                slice.put(i, (byte) (values[i] ? 1 : 0));
            }
            return own(slice, shape, DataType.BOOLEAN);
        }

        private ByteBuffer next(int bytes) {
            ByteBuffer slice = staging.slice(offset, bytes).order(ByteOrder.nativeOrder());
            offset += (bytes + 7) & ~7;
            return slice;
        }

        /** A view of the staging memory would change under the tensor on the next batch: copy it. */
        private NDArray own(ByteBuffer slice, Shape shape, DataType type) {
            NDArray view = manager.create(slice, shape, type);
            NDArray owned = view.duplicate();
            view.close();
            return owned;
        }
    }
}
