package dev.satflow.ops.dataset;

import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.qa.QuestionDeriver;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Questions for a range of seeds without a cluster: generate, render and annotate (no image
 * encoding), derive. What the streaming pipeline would make from the same seeds, minus the pixels;
 * used by the answer-prior census and to preview a dataset's statistics quickly. Frames get
 * made-up coordinates in a topic named {@link #TOPIC}.
 */
public final class OfflineQuestions {
    public static final String TOPIC = "offline";

    private OfflineQuestions() {}

    /** Runs on the calling thread (one GL context); calls {@code progress} with scenes done. */
    public static void derive(SceneGenerator generator, long firstSeed, int scenes, QuestionDeriver deriver,
            Consumer<QaRecord> sink, IntConsumer progress) {
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults().withEncoderThreads(1))) {
            long offset = 0;
            for (int i = 0; i < scenes; i++) {
                SceneSpec spec = generator.generate(firstSeed + i);
                List<SourcedFrame> frames = new ArrayList<>();
                for (Frame f : worker.annotateScene(spec)) {
                    frames.add(new SourcedFrame(f, TOPIC, 0, offset++));
                }
                deriver.derive(spec, frames).forEach(sink);
                progress.accept(i + 1);
            }
        }
    }
}
