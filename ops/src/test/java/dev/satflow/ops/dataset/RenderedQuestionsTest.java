package dev.satflow.ops.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.marks.MarkPainter;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.Frame;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Questions on real rendered frames (generator, GL renderer on Mesa, the shipped deriver): every mark
 * sits on the object it names and hides at most a fifth of it, measured against the renderer's own
 * id buffer; references resolve to exactly the rendered pixels; marks change only their footprint.
 */
class RenderedQuestionsTest {
    private static final int SIZE = 256;

    @Test
    void marksSitOnTheirObjectsAndReferencesResolveToTheRenderedPixels() throws Exception {
        SceneGenerator generator = new SceneGenerator(new GeneratorSettings(5, 15, 10, 30, 90, SIZE, SIZE, "png", true,
                0.1, 0.1));
        SatQuestionDeriver deriver = SatQuestionDeriver.standard();
        int dots = 0;
        int boxes = 0;
        int crosses = 0;
        int resolved = 0;
        double worstCover = 0;
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults().withEncoderThreads(1))) {
            for (long seed = 500; seed < 530; seed++) {
                SceneSpec spec = generator.generate(seed);
                List<Frame> frames = worker.renderScene(spec);
                Map<FrameCoordinates, Frame> byCoords = new HashMap<>();
                Map<String, int[]> ids = new HashMap<>();
                List<SourcedFrame> sourced = new ArrayList<>();
                for (int i = 0; i < frames.size(); i++) {
                    Frame f = frames.get(i);
                    sourced.add(new SourcedFrame(f, "satflow.frames.v1", 2, 1000 + i));
                    byCoords.put(new FrameCoordinates("satflow.frames.v1", 2, 1000 + i), f);
                    View v = spec.getViews().get(i);
                    ids.put(v.getViewId(), worker.renderIds(spec, v));
                }
                QuestionImages images = new QuestionImages(FrameSource.of(byCoords));
                for (QaRecord q : deriver.derive(spec, sourced)) {
                    List<QuestionImages.Image> resolvedImages = images.images(q);
                    for (QuestionImages.Image img : resolvedImages) {
                        Frame f = byCoords.get(FrameCoordinates.of(q.getFrames().get(img.index())));
                        assertEquals(f.getImage(), java.nio.ByteBuffer.wrap(img.encoded()), "the frame's own bytes");
                        resolved++;
                    }
                    for (Mark m : q.getMarks()) {
                        int[] id = ids.get(q.getFrames().get(m.getImage()).getViewId());
                        switch (m.getKind()) {
                            case "cross" -> crosses++;
                            case "box" -> boxes++;
                            default -> dots++;
                        }
                        if (m.getObjectId() == 0) {
                            continue;
                        }
                        boolean[] cover = MarkPainter.coverage(SIZE, SIZE, m);
                        int object = 0;
                        int hidden = 0;
                        for (int p = 0; p < id.length; p++) {
                            if (id[p] == m.getObjectId()) {
                                object++;
                                hidden += cover[p] ? 1 : 0;
                            }
                        }
                        double share = hidden / (double) object;
                        worstCover = Math.max(worstCover, share);
                        assertTrue(share <= 0.2 + 1e-9, q.getQaId() + ": " + m.getKind() + " hides " + hidden + " of "
                                + object + " pixels of object " + m.getObjectId());
                        if (m.getKind().equals("dot")) {
                            int centre = (int) m.getY() * SIZE + (int) m.getX();
                            assertEquals(m.getObjectId(), id[centre], q.getQaId() + ": the dot's centre is on its object");
                        }
                    }
                    // painting changes only what the marks cover
                    for (QuestionImages.Image img : resolvedImages) {
                        if (!img.marked()) {
                            continue;
                        }
                        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(img.encoded()));
                        BufferedImage painted = img.painted();
                        boolean[] cover = MarkPainter.coverage(SIZE, SIZE, q.getMarks(), img.index());
                        for (int y = 0; y < SIZE; y++) {
                            for (int x = 0; x < SIZE; x++) {
                                if (!cover[y * SIZE + x]) {
                                    assertEquals(plain.getRGB(x, y) & 0xffffff, painted.getRGB(x, y) & 0xffffff,
                                            q.getQaId() + " pixel " + x + "," + y + " changed outside the marks");
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(dots > 20 && boxes > 20 && crosses > 5, dots + " dots, " + boxes + " boxes, " + crosses + " crosses");
        assertTrue(resolved > 200, resolved + " images resolved");
        System.out.printf("marks on rendered frames: %d dots, %d boxes, %d crosses; worst share hidden %.3f%n", dots,
                boxes, crosses, worstCover);
    }
}
