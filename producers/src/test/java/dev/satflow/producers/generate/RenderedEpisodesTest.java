package dev.satflow.producers.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated episodes checked on real frames (llvmpipe): the moved object shows in both frames,
 * the probe point projects into the rendered first view, and the initial view of every scene shows
 * several objects, as the best-of-K camera intends.
 */
class RenderedEpisodesTest {
    private static final int SIDE = 128;

    private static int visible(Frame f, int objectId) {
        return f.getObjects().stream().filter(a -> a.getObjectId() == objectId)
                .mapToInt(ObjectAnnotation::getVisiblePixels).findFirst().orElse(0);
    }

    @Test
    void movedObjectsStayInViewAndProbePointsAreInTheImage() {
        SceneGenerator gen = new SceneGenerator(GeneratorSettings.defaults().withImage(SIDE, SIDE, "png"));
        int moves = 0;
        int probes = 0;
        int seenInitial = 0;
        int scenes = 0;
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
            for (long seed = 0; seed < 24 && (moves < 8 || probes < 8); seed++) {
                SceneSpec spec = gen.generate(seed);
                List<Frame> frames = worker.renderScene(spec);
                assertEquals(spec.getViews().size(), frames.size());
                scenes++;
                Frame v0 = frames.get(0);
                seenInitial += (int) v0.getObjects().stream().filter(a -> a.getVisiblePixels() > 0).count();
                for (Episode e : spec.getEpisodes()) {
                    if (e.getKind().equals("object_displacement") && e.getObjectMove() != null) {
                        Frame after = frames.stream().filter(f -> f.getViewId().equals(e.getToView())).findFirst()
                                .orElseThrow();
                        int id = e.getObjectMove().getObjectId();
                        assertTrue(visible(v0, id) > 0, "moved object " + id + " visible before, seed " + seed);
                        assertTrue(visible(after, id) > 0, "moved object " + id + " visible after, seed " + seed);
                        moves++;
                    }
                    if (e.getKind().equals("perspective")) {
                        Camera.Pixel p = Camera.of(v0.getCamera(), SIDE, SIDE).project(Vec3d.of(e.getProbe().getPoint()));
                        assertTrue(p != null && p.insideImage(SIDE, SIDE), "probe point in the image, seed " + seed);
                        probes++;
                    }
                }
            }
        }
        assertTrue(moves >= 8 && probes >= 8, moves + " moves, " + probes + " probes checked");
        assertTrue(seenInitial >= 3 * scenes, "initial views show " + seenInitial + " objects over " + scenes + " scenes");
    }
}
