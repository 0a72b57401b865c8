package dev.satflow.producers.render;

import static org.lwjgl.opengl.GL33C.GL_ALWAYS;
import static org.lwjgl.opengl.GL33C.GL_BACK;
import static org.lwjgl.opengl.GL33C.GL_CCW;
import static org.lwjgl.opengl.GL33C.GL_CULL_FACE;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_TEST;
import static org.lwjgl.opengl.GL33C.GL_KEEP;
import static org.lwjgl.opengl.GL33C.GL_LESS;
import static org.lwjgl.opengl.GL33C.GL_NOTEQUAL;
import static org.lwjgl.opengl.GL33C.GL_NO_ERROR;
import static org.lwjgl.opengl.GL33C.GL_QUERY_RESULT;
import static org.lwjgl.opengl.GL33C.GL_REPLACE;
import static org.lwjgl.opengl.GL33C.GL_SAMPLES_PASSED;
import static org.lwjgl.opengl.GL33C.GL_STENCIL_BUFFER_BIT;
import static org.lwjgl.opengl.GL33C.GL_STENCIL_TEST;
import static org.lwjgl.opengl.GL33C.glBeginQuery;
import static org.lwjgl.opengl.GL33C.glClear;
import static org.lwjgl.opengl.GL33C.glColorMask;
import static org.lwjgl.opengl.GL33C.glCullFace;
import static org.lwjgl.opengl.GL33C.glDeleteProgram;
import static org.lwjgl.opengl.GL33C.glDeleteQueries;
import static org.lwjgl.opengl.GL33C.glDepthFunc;
import static org.lwjgl.opengl.GL33C.glDepthMask;
import static org.lwjgl.opengl.GL33C.glDisable;
import static org.lwjgl.opengl.GL33C.glEnable;
import static org.lwjgl.opengl.GL33C.glEndQuery;
import static org.lwjgl.opengl.GL33C.glFrontFace;
import static org.lwjgl.opengl.GL33C.glGenQueries;
import static org.lwjgl.opengl.GL33C.glGetError;
import static org.lwjgl.opengl.GL33C.glGetQueryObjecti64;
import static org.lwjgl.opengl.GL33C.glGetUniformLocation;
import static org.lwjgl.opengl.GL33C.glStencilFunc;
import static org.lwjgl.opengl.GL33C.glStencilMask;
import static org.lwjgl.opengl.GL33C.glStencilOp;
import static org.lwjgl.opengl.GL33C.glUniform1f;
import static org.lwjgl.opengl.GL33C.glUniform1i;
import static org.lwjgl.opengl.GL33C.glUniform1ui;
import static org.lwjgl.opengl.GL33C.glUniform3f;
import static org.lwjgl.opengl.GL33C.glUniform3fv;
import static org.lwjgl.opengl.GL33C.glUniform4fv;
import static org.lwjgl.opengl.GL33C.glUniformMatrix3fv;
import static org.lwjgl.opengl.GL33C.glUniformMatrix4fv;
import static org.lwjgl.opengl.GL33C.glUseProgram;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Mat4;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Draws one view of a resolved scene into the {@link OffscreenTarget}: shadow map for the first
 * shadow-casting light, then the lit pass (objects, then room, writing colour and id), then one
 * coverage query per object. Must be used on its context's thread only.
 *
 * <p>Shadow maps do not depend on the camera, so views of a scene that share object poses reuse
 * the last one.
 */
final class SceneRenderer implements AutoCloseable {
    private static final float[] IDENTITY4 = Mat4.identity();
    private static final float[] IDENTITY3 = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    private final EglContext context;
    private final Catalog catalog;
    private final PrimitiveMeshes primitives;
    private final GlMesh roomMesh = new GlMesh(true);
    private final OffscreenTarget target = new OffscreenTarget();
    private final Annotator.Scratch annotatorScratch = new Annotator.Scratch();
    private final ShadowMaps shadows;
    /** The lit program per shadow kind (0 none, 1 directional, 2 point) and light count - 1; built on first use. */
    private final LitProgram[][] litVariants = new LitProgram[3][SceneModel.MAX_LIGHTS];
    private final CoverageProgram coverage;
    private int[] queries = new int[0];

    private boolean padLightSlots;
    private SceneModel uploadedRoom;
    private ShadowKey lastShadow;
    private float[] lastShadowViewProj = IDENTITY4;

    /** Identity of a shadow map: the scene model (by identity) and the object poses of the view. */
    private record ShadowKey(SceneModel scene, List<ObjectPlacement> placements) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ShadowKey k && k.scene == scene && k.placements.equals(placements);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(scene) * 31 + placements.hashCode();
        }
    }

    SceneRenderer(EglContext context, Catalog catalog, int shadowMapSize) {
        context.checkThread();
        this.context = context;
        this.catalog = catalog;
        this.primitives = new PrimitiveMeshes();
        this.shadows = new ShadowMaps(primitives, shadowMapSize);
        this.coverage = new CoverageProgram();
        checkGlError("renderer setup");
    }

    /** Resolves a spec (categories, room, lights) once for all its views. */
    SceneModel prepare(SceneSpec spec) {
        return SceneModel.of(spec, catalog);
    }

    /** Draws the view and reads colour, id and depth back into the target's buffers. */
    Camera drawAndRead(SceneModel scene, View view) {
        Camera camera = draw(scene, view, false).camera;
        target.readBack();
        return camera;
    }

    /** What one fully processed view yields before encoding. */
    record Drawn(Camera camera, byte[] rgbTopDown, List<ObjectAnnotation> annotations) {}

    /** Draws, queries coverage, reads back, annotates and copies the RGB image out of GL memory. */
    Drawn drawAnnotated(SceneModel scene, View view) {
        Pass pass = draw(scene, view, true);
        target.readBack(true);
        List<ObjectAnnotation> annotations = Annotator.annotate(target.width(), target.height(), target.ids(),
                target.depth(), objectIds(scene), pass.unoccluded, annotatorScratch);
        return new Drawn(pass.camera, target.rgbTopDown(), annotations);
    }

    /**
     * One view drawn, queried and read back, with what {@link Annotator} needs copied out of GL
     * memory, so that the annotation can run on another thread while this one draws the next view.
     */
    record Readback(Camera camera, byte[] rgbTopDown, int[] ids, float[] depth, int[] objectIds, long[] unoccluded) {
        /** The same annotations {@link #drawAnnotated} gives; on any thread, one scratch per thread. */
        List<ObjectAnnotation> annotate(Annotator.Scratch scratch) {
            return Annotator.annotate(camera.width(), camera.height(), IntBuffer.wrap(ids), FloatBuffer.wrap(depth),
                    objectIds, unoccluded, scratch);
        }
    }

    /** As {@link #drawAnnotated}, the annotation left to the caller ({@link Readback#annotate}). */
    Readback drawForAnnotation(SceneModel scene, View view) {
        Pass pass = draw(scene, view, true);
        target.readBack(true);
        int pixels = target.width() * target.height();
        int[] ids = new int[pixels];
        target.ids().get(0, ids, 0, pixels);
        float[] depth = new float[pixels];
        target.depth().get(0, depth, 0, pixels);
        return new Readback(pass.camera, target.rgbTopDown(), ids, depth, objectIds(scene), pass.unoccluded);
    }

    private static int[] objectIds(SceneModel scene) {
        int[] ids = new int[scene.objects().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = scene.objects().get(i).getId();
        }
        return ids;
    }

    /** The id buffer of a view, top-down rows (object id per pixel, 0 for the room): what tests check marks against. */
    int[] drawIds(SceneModel scene, View view) {
        draw(scene, view, false);
        target.readBack();
        int w = target.width();
        int h = target.height();
        int[] out = new int[w * h];
        java.nio.IntBuffer ids = target.ids();
        for (int glRow = 0; glRow < h; glRow++) {
            ids.get(glRow * w, out, (h - 1 - glRow) * w, w);
        }
        return out;
    }

    private record Pass(Camera camera, long[] unoccluded) {}

    private Pass draw(SceneModel scene, View view, boolean queryCoverage) {
        context.checkThread();
        SceneSpec spec = scene.spec();
        int width = spec.getRender().getWidth();
        int height = spec.getRender().getHeight();
        target.ensureSize(width, height);
        Camera camera = Camera.of(view.getCamera(), width, height);
        List<SceneModel.ObjectDraw> objects = scene.objectsFor(view);
        if (uploadedRoom != scene) {
            roomMesh.upload(scene.room().mesh());
            uploadedRoom = scene;
        }

        int shadowKind = 0;
        float shadowFar = 1;
        int shadowLight = scene.shadowLight();
        if (shadowLight >= 0) {
            SceneModel.ShaderLight light = scene.lights().get(shadowLight);
            shadowKind = light.point() ? 2 : 1;
            shadowFar = pointShadowFar(scene, light);
            ShadowKey key = new ShadowKey(scene, List.copyOf(view.getPlacements()));
            if (!key.equals(lastShadow)) {
                if (light.point()) {
                    shadows.renderPoint(objects, light.vector(), shadowFar);
                } else {
                    lastShadowViewProj = shadows.renderDirectional(objects, light.vector(), scene.room().min(),
                            scene.room().max());
                }
                lastShadow = key;
            }
        }

        float[] viewProj = camera.viewProjection();
        target.bindAndClear();
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glDepthMask(true);
        glFrontFace(GL_CCW);
        glCullFace(GL_BACK);
        shadows.bindTextures();
        LitProgram lit = litProgram(shadowKind, padLightSlots ? SceneModel.MAX_LIGHTS : scene.lights().size());
        lit.use(scene, camera, viewProj, lastShadowViewProj, shadowFar);

        // objects before the room, so early depth testing skips the room behind them (llvmpipe pays
        // per shaded fragment); closed solids, back faces culled (the coverage pass culls the same way)
        glEnable(GL_CULL_FACE);
        primitives.bind();
        for (SceneModel.ObjectDraw o : objects) {
            lit.id(o.objectId());
            for (SceneModel.PartDraw p : o.parts()) {
                lit.transform(p.model(), p.normalMatrix());
                lit.material(p.material());
                primitives.draw(p.primitive());
            }
        }

        // room: thin two-sided surfaces, no culling
        glDisable(GL_CULL_FACE);
        roomMesh.bind();
        lit.transform(IDENTITY4, IDENTITY3);
        lit.id(0);
        for (RoomGeometry.Group g : scene.room().groups()) {
            lit.material(scene.roomMaterial(g.surface()));
            roomMesh.draw(g.firstIndex(), g.indexCount());
        }
        long[] unoccluded = queryCoverage ? coverage(objects, viewProj) : null;
        glDisable(GL_CULL_FACE);
        checkGlError("rendering view '" + view.getViewId() + "'");
        return new Pass(camera, unoccluded);
    }

    /**
     * Draws every scene with the {@value SceneModel#MAX_LIGHTS}-slot shader, unused slots black: the reference
     * the per-light-count variants are checked against (they must give the same bytes).
     */
    void padLightSlots(boolean pad) {
        padLightSlots = pad;
    }

    private LitProgram litProgram(int shadowKind, int lights) {
        LitProgram lit = litVariants[shadowKind][lights - 1];
        if (lit == null) {
            lit = new LitProgram(shadowKind, lights);
            litVariants[shadowKind][lights - 1] = lit;
        }
        return lit;
    }

    /**
     * Pixels each object covers when drawn alone in the same frustum: no depth test, and a
     * stencil value per object so overlapping parts of one object count each pixel once.
     */
    private long[] coverage(List<SceneModel.ObjectDraw> objects, float[] viewProj) {
        int n = objects.size();
        if (queries.length < n) {
            if (queries.length > 0) {
                glDeleteQueries(queries);
            }
            queries = new int[Math.max(n, 16)];
            glGenQueries(queries);
        }
        coverage.use(viewProj);
        primitives.bind();
        glEnable(GL_CULL_FACE); // as in the lit pass, so both rasterise the same fragments
        glColorMask(false, false, false, false);
        glDepthMask(false);
        glDisable(GL_DEPTH_TEST);
        glEnable(GL_STENCIL_TEST);
        glStencilMask(0xFF);
        glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
        int ref = 0;
        for (int i = 0; i < n; i++) {
            if (++ref > 255) { // stencil values exhausted: start over on a cleared stencil
                glClear(GL_STENCIL_BUFFER_BIT);
                ref = 1;
            }
            glStencilFunc(GL_NOTEQUAL, ref, 0xFF);
            glBeginQuery(GL_SAMPLES_PASSED, queries[i]);
            for (SceneModel.PartDraw p : objects.get(i).parts()) {
                coverage.transform(p.model());
                primitives.draw(p.primitive());
            }
            glEndQuery(GL_SAMPLES_PASSED);
        }
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = glGetQueryObjecti64(queries[i], GL_QUERY_RESULT);
        }
        glStencilFunc(GL_ALWAYS, 0, 0xFF);
        glDisable(GL_STENCIL_TEST);
        glEnable(GL_DEPTH_TEST);
        glDepthMask(true);
        glColorMask(true, true, true, true);
        return counts;
    }

    /** Far plane of a point light's distance cube: its farthest room corner, plus a margin. */
    private static float pointShadowFar(SceneModel scene, SceneModel.ShaderLight light) {
        if (!light.point()) {
            return 1;
        }
        Vec3d min = scene.room().min();
        Vec3d max = scene.room().max();
        double far = 0;
        for (int i = 0; i < 8; i++) {
            Vec3d corner = new Vec3d((i & 1) == 0 ? min.x() : max.x(), (i & 2) == 0 ? min.y() : max.y(),
                    (i & 4) == 0 ? min.z() : max.z());
            far = Math.max(far, corner.distance(light.vector()));
        }
        return (float) (far + 1);
    }

    static void checkGlError(String what) {
        int err = glGetError();
        if (err != GL_NO_ERROR) {
            throw new IllegalStateException("GL error 0x" + Integer.toHexString(err) + " while " + what);
        }
    }

    EglContext context() {
        return context;
    }

    OffscreenTarget target() {
        return target;
    }

    @Override
    public void close() {
        context.checkThread();
        if (queries.length > 0) {
            glDeleteQueries(queries);
        }
        for (LitProgram[] kind : litVariants) {
            for (LitProgram lit : kind) {
                if (lit != null) {
                    lit.close();
                }
            }
        }
        coverage.close();
        shadows.close();
        roomMesh.close();
        primitives.close();
        target.close();
    }

    // ---- programs ----

    /** One variant of the lit program and its uniform locations. */
    private static final class LitProgram implements AutoCloseable {
        final int program;
        final int uModel;
        final int uNormalMatrix;
        final int uViewProj;
        final int uAlbedo;
        final int uSpecular;
        final int uShininess;
        final int uEmissive;
        final int uId;
        final int uCameraPos;
        final int uAmbient;
        final int uLightPos;
        final int uLightColor;
        final int uShadowMap;
        final int uShadowCube;
        final int uShadowViewProj;
        final int uShadowFar;
        final int slots;
        private SurfaceMaterial current;

        LitProgram(int shadowKind, int lights) {
            slots = lights;
            program = Shaders.program("lit/shadow" + shadowKind + "/lights" + lights, Shaders.SCENE_VS,
                    Shaders.litFragmentShader(shadowKind, lights));
            uModel = Shaders.uniform(program, "uModel");
            uNormalMatrix = Shaders.uniform(program, "uNormalMatrix");
            uViewProj = Shaders.uniform(program, "uViewProj");
            uAlbedo = Shaders.uniform(program, "uAlbedo");
            uSpecular = Shaders.uniform(program, "uSpecular");
            uShininess = Shaders.uniform(program, "uShininess");
            uEmissive = Shaders.uniform(program, "uEmissive");
            uId = Shaders.uniform(program, "uId");
            uCameraPos = Shaders.uniform(program, "uCameraPos");
            uAmbient = Shaders.uniform(program, "uAmbient");
            uLightPos = Shaders.uniform(program, "uLightPos");
            uLightColor = Shaders.uniform(program, "uLightColor");
            uShadowMap = shadowKind == 1 ? Shaders.uniform(program, "uShadowMap") : -1;
            uShadowViewProj = shadowKind == 1 ? Shaders.uniform(program, "uShadowViewProj") : -1;
            uShadowCube = shadowKind == 2 ? Shaders.uniform(program, "uShadowCube") : -1;
            uShadowFar = shadowKind == 2 ? Shaders.uniform(program, "uShadowFar") : -1;
        }

        void use(SceneModel scene, Camera camera, float[] viewProj, float[] shadowViewProj, float shadowFar) {
            glUseProgram(program);
            current = null;
            glUniformMatrix4fv(uViewProj, false, viewProj);
            Vec3d eye = camera.position();
            glUniform3f(uCameraPos, (float) eye.x(), (float) eye.y(), (float) eye.z());
            List<SceneModel.ShaderLight> lights = scene.lights();
            // slots beyond the scene's lights (the padded reference only): a black directional light, so the
            // shader divides by no zero distance
            float[] pos = new float[4 * slots];
            for (int i = lights.size(); i < slots; i++) {
                pos[4 * i + 1] = 1;
            }
            float[] col = new float[3 * slots];
            float ar = 0;
            float ag = 0;
            float ab = 0;
            for (int i = 0; i < lights.size(); i++) {
                SceneModel.ShaderLight l = lights.get(i);
                pos[4 * i] = (float) l.vector().x();
                pos[4 * i + 1] = (float) l.vector().y();
                pos[4 * i + 2] = (float) l.vector().z();
                pos[4 * i + 3] = l.point() ? 1 : 0;
                col[3 * i] = l.r();
                col[3 * i + 1] = l.g();
                col[3 * i + 2] = l.b();
                float peak = Math.max(1e-6f, Math.max(l.r(), Math.max(l.g(), l.b())));
                ar += l.r() / peak;
                ag += l.g() / peak;
                ab += l.b() / peak;
            }
            // ambient: a fixed share of light, tinted by the lights' average hue
            float k = 0.22f / Math.max(1, lights.size());
            glUniform3f(uAmbient, ar * k, ag * k, ab * k);
            glUniform4fv(uLightPos, pos);
            glUniform3fv(uLightColor, col);
            if (uShadowMap >= 0) {
                glUniform1i(uShadowMap, ShadowMaps.DIRECTIONAL_UNIT);
                glUniformMatrix4fv(uShadowViewProj, false, shadowViewProj);
            }
            if (uShadowCube >= 0) {
                glUniform1i(uShadowCube, ShadowMaps.CUBE_UNIT);
                glUniform1f(uShadowFar, shadowFar);
            }
        }

        void transform(float[] model, float[] normalMatrix) {
            glUniformMatrix4fv(uModel, false, model);
            glUniformMatrix3fv(uNormalMatrix, false, normalMatrix);
        }

        void id(int objectId) {
            glUniform1ui(uId, objectId);
        }

        void material(SurfaceMaterial m) {
            if (Objects.equals(m, current)) {
                return;
            }
            current = m;
            glUniform3f(uAlbedo, m.r(), m.g(), m.b());
            glUniform1f(uSpecular, m.specular());
            glUniform1f(uShininess, m.shininess());
            glUniform1f(uEmissive, m.emissive());
        }

        @Override
        public void close() {
            glDeleteProgram(program);
        }
    }

    /** Same vertex stage as the lit program, no shading: for occlusion queries. */
    private static final class CoverageProgram implements AutoCloseable {
        final int program = Shaders.program("coverage", Shaders.SCENE_VS, Shaders.COVERAGE_FS);
        final int uModel = Shaders.uniform(program, "uModel");
        final int uViewProj = Shaders.uniform(program, "uViewProj");
        final int uNormalMatrix = glGetUniformLocation(program, "uNormalMatrix"); // may be optimised out

        void use(float[] viewProj) {
            glUseProgram(program);
            glUniformMatrix4fv(uViewProj, false, viewProj);
            if (uNormalMatrix >= 0) {
                glUniformMatrix3fv(uNormalMatrix, false, IDENTITY3);
            }
        }

        void transform(float[] model) {
            glUniformMatrix4fv(uModel, false, model);
        }

        @Override
        public void close() {
            glDeleteProgram(program);
        }
    }
}
