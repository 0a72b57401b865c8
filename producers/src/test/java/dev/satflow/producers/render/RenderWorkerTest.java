package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RenderWorkerTest {

    @Test
    void framesCarryTheSpecsViewsCameraIntrinsicsAndAnnotationsInOrder() throws Exception {
        SceneSpec spec = TestScenes.furnished(128, 96);
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            List<Frame> frames = w.renderScene(spec);
            assertEquals(spec.getViews().size(), frames.size());
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                View v = spec.getViews().get(i);
                assertEquals("furnished", f.getSceneId());
                assertEquals(v.getViewId(), f.getViewId());
                assertEquals(v.getRole(), f.getRole());
                assertEquals(spec.getViews().size(), f.getViewCount());
                assertEquals(v.getCamera(), f.getCamera());
                assertEquals(Camera.of(v.getCamera(), 128, 96).intrinsics(), f.getIntrinsics());
                assertEquals(RenderWorker.RENDERER_VERSION, f.getRendererVersion());
                assertTrue(f.getGlRenderer().length() > 0);
                assertTrue(f.getRenderMillis() > 0);
                assertEquals(spec.getObjects().stream().map(SceneObject::getId).toList(),
                        f.getObjects().stream().map(ObjectAnnotation::getObjectId).toList(), "every object, spec order");
                assertTrue(f.getObjects().stream().anyMatch(a -> a.getVisiblePixels() > 0));
                for (ObjectAnnotation a : f.getObjects()) {
                    assertLabelPointOnTheObject(a);
                }
            }
            // the asynchronous form renders the same frames
            CompletableFuture<List<Frame>> async = w.renderSceneAsync(spec);
            List<Frame> again = async.get();
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(bytes(frames.get(i)), bytes(again.get(i)));
                assertEquals(frames.get(i).getObjects(), again.get(i).getObjects());
            }
            // a single view, and a size change between scenes (the framebuffer follows)
            Frame one = w.renderView(TestScenes.furnished(64, 48), spec.getViews().get(2));
            assertEquals(64, one.getIntrinsics().getWidth());
            assertEquals(spec.getViews().get(2).getViewId(), one.getViewId());
        }
    }

    @Test
    void boundedEncodeQueueStillDeliversEveryFrame() {
        SceneSpec spec = TestScenes.furnished(96, 64);
        List<Frame> reference;
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            reference = w.renderScene(spec);
        }
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG)
                .withMaxPendingFrames(1).withEncoderThreads(2))) {
            List<CompletableFuture<List<Frame>>> inFlight = List.of(w.renderSceneAsync(spec), w.renderSceneAsync(spec));
            for (CompletableFuture<List<Frame>> f : inFlight) {
                List<Frame> got = f.join();
                assertEquals(reference.size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(bytes(reference.get(i)), bytes(got.get(i)));
                }
            }
        }
    }

    @Test
    void everyStandardCategoryDrawsVisiblePixels() {
        Catalog standard = Catalog.standard();
        List<SceneObject> objects = new ArrayList<>();
        List<View> views = new ArrayList<>();
        int id = 1;
        for (CategorySpec c : standard.all()) {
            double x = (id - 1) * 3.0;
            double h = c.maxSize().y();
            objects.add(TestScenes.object(id, c.name(), x, h / 2, -1.5, c.maxSize().x(), h, c.maxSize().z(), 20,
                    TestScenes.material(0.7, 0.4, 0.3)));
            // from 25 degrees above, so flat things (rugs) show their top too
            double dist = 1.2 + 2 * Math.max(h, Math.max(c.maxSize().x(), c.maxSize().z()));
            double lift = dist * Math.tan(Math.toRadians(25));
            views.add(TestScenes.view(c.name(), TestScenes.camera(x, h / 2 + lift, -1.5 + dist, 0, 25, 60), List.of()));
            id++;
        }
        // a tall room: the cameras of the biggest categories (beds, wardrobes, rugs) rise above 2.7 m
        SceneSpec spec = TestScenes.spec("catalog", TestScenes.rectRoom(6 * id, 12).setHeight(8f).build(), objects,
                views, 96, 96,
                "png", true);
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults())) {
            List<RawFrame> frames = w.renderSceneUnencoded(spec);
            for (int i = 0; i < frames.size(); i++) {
                ObjectAnnotation a = frames.get(i).objects().get(i);
                assertTrue(a.getVisiblePixels() > 20, "category " + views.get(i).getViewId() + " barely visible: " + a);
                assertFalse(a.getVisibleFraction() <= 0.5f, "category " + views.get(i).getViewId() + " hidden: " + a);
            }
        }
    }

    @Test
    void benchmarkRunsAndReportsEveryFloor() {
        RenderBench.Report r = RenderBench.run(new RenderBench.Settings(List.of(64), 1, 1, RenderOptions.defaults()));
        assertEquals(4, r.rows().size());
        assertTrue(r.rows().stream().allMatch(row -> row.fps() > 0));
        assertTrue(r.rows().get(2).meanImageBytes() > 0, "PNG floor reports image sizes");
        assertEquals(7, r.encoders().size());
        assertTrue(r.table().contains("renderScene"));
    }

    /** A visible object's label is a pixel centre inside its box, at least 1 px from anything else. */
    private static void assertLabelPointOnTheObject(ObjectAnnotation a) {
        Box2d b = a.getBox();
        if (a.getVisiblePixels() == 0) {
            assertEquals(0f, a.getLabelX(), a.toString());
            assertEquals(0f, a.getLabelY(), a.toString());
            assertEquals(0f, a.getLabelRadius(), a.toString());
            return;
        }
        assertTrue(a.getLabelX() >= b.getXMin() + 0.5f && a.getLabelX() <= b.getXMax() + 0.5f, a.toString());
        assertTrue(a.getLabelY() >= b.getYMin() + 0.5f && a.getLabelY() <= b.getYMax() + 0.5f, a.toString());
        assertEquals(0.5f, a.getLabelX() - (float) Math.floor(a.getLabelX()), "a pixel centre: " + a);
        assertEquals(0.5f, a.getLabelY() - (float) Math.floor(a.getLabelY()), "a pixel centre: " + a);
        assertTrue(a.getLabelRadius() >= 1f, a.toString());
        // no deeper than half the box's short side (rounded up): a row or column of it ends there
        int shortSide = Math.min(b.getXMax() - b.getXMin(), b.getYMax() - b.getYMin()) + 1;
        assertTrue(a.getLabelRadius() <= (shortSide + 1) / 2, a.toString());
    }

    private static byte[] bytes(Frame f) {
        byte[] b = new byte[f.getImage().remaining()];
        f.getImage().duplicate().get(b);
        return b;
    }
}
