package dev.satflow.producers.render;

import static org.lwjgl.opengl.GL33C.GL_BACK;
import static org.lwjgl.opengl.GL33C.GL_CLAMP_TO_BORDER;
import static org.lwjgl.opengl.GL33C.GL_CLAMP_TO_EDGE;
import static org.lwjgl.opengl.GL33C.GL_COMPARE_REF_TO_TEXTURE;
import static org.lwjgl.opengl.GL33C.GL_CULL_FACE;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_ATTACHMENT;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_BUFFER_BIT;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_COMPONENT;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_COMPONENT32F;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_TEST;
import static org.lwjgl.opengl.GL33C.GL_FLOAT;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER_COMPLETE;
import static org.lwjgl.opengl.GL33C.GL_FRONT;
import static org.lwjgl.opengl.GL33C.GL_LEQUAL;
import static org.lwjgl.opengl.GL33C.GL_LESS;
import static org.lwjgl.opengl.GL33C.GL_LINEAR;
import static org.lwjgl.opengl.GL33C.GL_NONE;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE1;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE2;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_2D;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_BORDER_COLOR;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_COMPARE_FUNC;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_COMPARE_MODE;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_CUBE_MAP;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_CUBE_MAP_POSITIVE_X;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_CUBE_MAP_SEAMLESS;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_MAG_FILTER;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_MIN_FILTER;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_WRAP_R;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_WRAP_S;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_WRAP_T;
import static org.lwjgl.opengl.GL33C.glActiveTexture;
import static org.lwjgl.opengl.GL33C.glBindFramebuffer;
import static org.lwjgl.opengl.GL33C.glBindTexture;
import static org.lwjgl.opengl.GL33C.glCheckFramebufferStatus;
import static org.lwjgl.opengl.GL33C.glClear;
import static org.lwjgl.opengl.GL33C.glCullFace;
import static org.lwjgl.opengl.GL33C.glDeleteFramebuffers;
import static org.lwjgl.opengl.GL33C.glDeleteProgram;
import static org.lwjgl.opengl.GL33C.glDeleteTextures;
import static org.lwjgl.opengl.GL33C.glDepthFunc;
import static org.lwjgl.opengl.GL33C.glDisable;
import static org.lwjgl.opengl.GL33C.glDrawBuffer;
import static org.lwjgl.opengl.GL33C.glEnable;
import static org.lwjgl.opengl.GL33C.glFramebufferTexture2D;
import static org.lwjgl.opengl.GL33C.glGenFramebuffers;
import static org.lwjgl.opengl.GL33C.glGenTextures;
import static org.lwjgl.opengl.GL33C.glReadBuffer;
import static org.lwjgl.opengl.GL33C.glTexImage2D;
import static org.lwjgl.opengl.GL33C.glTexParameterfv;
import static org.lwjgl.opengl.GL33C.glTexParameteri;
import static org.lwjgl.opengl.GL33C.glUniform1f;
import static org.lwjgl.opengl.GL33C.glUniform1i;
import static org.lwjgl.opengl.GL33C.glUniform3f;
import static org.lwjgl.opengl.GL33C.glUniformMatrix4fv;
import static org.lwjgl.opengl.GL33C.glUseProgram;
import static org.lwjgl.opengl.GL33C.glViewport;

import dev.satflow.core.geom.Mat4;
import dev.satflow.core.geom.Vec3d;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Depth maps for the one shadow-casting light: a 2D orthographic map for a directional light,
 * a cube map of radial distances for a point light. Only objects cast shadows (the lights are
 * inside the room, so walls and floor never shadow anything the camera sees).
 */
final class ShadowMaps implements AutoCloseable {
    static final int DIRECTIONAL_UNIT = 1;
    static final int CUBE_UNIT = 2;
    private static final float NEAR = 0.05f;

    /** Looking direction and up vector of each cube face, in GL's face order (+X, -X, +Y, -Y, +Z, -Z). */
    private static final Vec3d[][] CUBE_FACES = {
        {new Vec3d(1, 0, 0), new Vec3d(0, -1, 0)},
        {new Vec3d(-1, 0, 0), new Vec3d(0, -1, 0)},
        {new Vec3d(0, 1, 0), new Vec3d(0, 0, 1)},
        {new Vec3d(0, -1, 0), new Vec3d(0, 0, -1)},
        {new Vec3d(0, 0, 1), new Vec3d(0, -1, 0)},
        {new Vec3d(0, 0, -1), new Vec3d(0, -1, 0)},
    };

    private final PrimitiveMeshes meshes;
    private final int directionalSize;
    private final int cubeSize;
    private final int program;
    private final int uModel;
    private final int uLightViewProj;
    private final int uRadial;
    private final int uLightPos;
    private final int uFar;
    private final int fbo = glGenFramebuffers();
    private final int directionalTex;
    private final int cubeTex;

    ShadowMaps(PrimitiveMeshes meshes, int cubeSize) {
        this.meshes = meshes;
        this.cubeSize = cubeSize;
        this.directionalSize = cubeSize * 2;
        program = Shaders.program("shadow", Shaders.SHADOW_VS, Shaders.SHADOW_FS);
        uModel = Shaders.uniform(program, "uModel");
        uLightViewProj = Shaders.uniform(program, "uLightViewProj");
        uRadial = Shaders.uniform(program, "uRadial");
        uLightPos = Shaders.uniform(program, "uLightPos");
        uFar = Shaders.uniform(program, "uFar");

        glActiveTexture(GL_TEXTURE1);
        directionalTex = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, directionalTex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_DEPTH_COMPONENT32F, directionalSize, directionalSize, 0,
                GL_DEPTH_COMPONENT, GL_FLOAT, (FloatBuffer) null);
        comparisonSampling(GL_TEXTURE_2D);

        glActiveTexture(GL_TEXTURE2);
        cubeTex = glGenTextures();
        glBindTexture(GL_TEXTURE_CUBE_MAP, cubeTex);
        for (int face = 0; face < 6; face++) {
            glTexImage2D(GL_TEXTURE_CUBE_MAP_POSITIVE_X + face, 0, GL_DEPTH_COMPONENT32F, cubeSize, cubeSize, 0,
                    GL_DEPTH_COMPONENT, GL_FLOAT, (FloatBuffer) null);
        }
        comparisonSampling(GL_TEXTURE_CUBE_MAP);
        glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
        glActiveTexture(org.lwjgl.opengl.GL33C.GL_TEXTURE0);
    }

    private static void comparisonSampling(int target) {
        glTexParameteri(target, GL_TEXTURE_MIN_FILTER, GL_LINEAR); // 2x2 PCF from the hardware compare
        glTexParameteri(target, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        // 2D map: outside it reads depth 1 (lit) without a branch in the shader
        int wrap = target == GL_TEXTURE_2D ? GL_CLAMP_TO_BORDER : GL_CLAMP_TO_EDGE;
        glTexParameteri(target, GL_TEXTURE_WRAP_S, wrap);
        glTexParameteri(target, GL_TEXTURE_WRAP_T, wrap);
        glTexParameteri(target, GL_TEXTURE_WRAP_R, wrap);
        glTexParameterfv(target, GL_TEXTURE_BORDER_COLOR, new float[] {1, 1, 1, 1});
        glTexParameteri(target, GL_TEXTURE_COMPARE_MODE, GL_COMPARE_REF_TO_TEXTURE);
        glTexParameteri(target, GL_TEXTURE_COMPARE_FUNC, GL_LEQUAL);
    }

    /**
     * Renders the directional map, fitted to a sphere around the room.
     *
     * @return the light's view-projection, for the lit pass
     */
    float[] renderDirectional(List<SceneModel.ObjectDraw> casters, Vec3d towardsLight, Vec3d roomMin, Vec3d roomMax) {
        Vec3d centre = roomMin.plus(roomMax).times(0.5);
        double radius = roomMax.minus(roomMin).length() / 2 + 0.5;
        Vec3d dir = towardsLight.normalized();
        Vec3d up = Math.abs(dir.y()) > 0.99 ? new Vec3d(0, 0, -1) : Vec3d.UP;
        float[] view = lookAt(centre.plus(dir.times(2 * radius)), centre, up);
        float[] proj = ortho(radius, 0.1, 4 * radius);
        float[] viewProj = Mat4.mul(proj, view);
        begin(directionalSize);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, directionalTex, 0);
        checkComplete();
        glClear(GL_DEPTH_BUFFER_BIT);
        glUniform1i(uRadial, 0);
        glUniformMatrix4fv(uLightViewProj, false, viewProj);
        drawAll(casters);
        end();
        return viewProj;
    }

    /** Renders the six faces of the point light's distance cube; faces that see no caster are just cleared. */
    void renderPoint(List<SceneModel.ObjectDraw> casters, Vec3d light, float far) {
        float[] proj = Mat4.perspective(90, 1, NEAR, far);
        begin(cubeSize);
        glUniform1i(uRadial, 1);
        glUniform3f(uLightPos, (float) light.x(), (float) light.y(), (float) light.z());
        glUniform1f(uFar, far);
        for (int face = 0; face < 6; face++) {
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_CUBE_MAP_POSITIVE_X + face,
                    cubeTex, 0);
            checkComplete();
            glClear(GL_DEPTH_BUFFER_BIT);
            Vec3d axis = CUBE_FACES[face][0];
            Vec3d up = CUBE_FACES[face][1];
            glUniformMatrix4fv(uLightViewProj, false, Mat4.mul(proj, lookAt(light, light.plus(axis), up)));
            Vec3d side = axis.cross(up);
            for (SceneModel.ObjectDraw o : casters) {
                if (inFaceFrustum(o.center().minus(light), o.radius(), axis, up, side)) {
                    drawObject(o);
                }
            }
        }
        end();
    }

    /** A sphere against the four side planes of a 90-degree face pyramid. */
    static boolean inFaceFrustum(Vec3d p, double r, Vec3d axis, Vec3d u, Vec3d v) {
        double a = p.dot(axis);
        double pu = p.dot(u);
        double pv = p.dot(v);
        double slack = r * Math.sqrt(2);
        return a - pu >= -slack && a + pu >= -slack && a - pv >= -slack && a + pv >= -slack;
    }

    void bindTextures() {
        glActiveTexture(GL_TEXTURE1);
        glBindTexture(GL_TEXTURE_2D, directionalTex);
        glActiveTexture(GL_TEXTURE2);
        glBindTexture(GL_TEXTURE_CUBE_MAP, cubeTex);
        glActiveTexture(org.lwjgl.opengl.GL33C.GL_TEXTURE0);
    }

    private void begin(int size) {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glDrawBuffer(GL_NONE);
        glReadBuffer(GL_NONE);
        glViewport(0, 0, size, size);
        glUseProgram(program);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        // back faces into the map: the lit front faces then sit well in front of the stored depth (less acne)
        glEnable(GL_CULL_FACE);
        glCullFace(GL_FRONT);
        meshes.bind();
    }

    private void end() {
        glCullFace(GL_BACK);
        glDisable(GL_CULL_FACE);
    }

    private void drawAll(List<SceneModel.ObjectDraw> casters) {
        for (SceneModel.ObjectDraw o : casters) {
            drawObject(o);
        }
    }

    private void drawObject(SceneModel.ObjectDraw o) {
        for (SceneModel.PartDraw p : o.parts()) {
            glUniformMatrix4fv(uModel, false, p.model());
            meshes.draw(p.primitive());
        }
    }

    private static void checkComplete() {
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            throw new IllegalStateException("shadow framebuffer incomplete: 0x" + Integer.toHexString(status));
        }
    }

    /** View matrix of a light camera at {@code eye} looking at {@code target}. */
    static float[] lookAt(Vec3d eye, Vec3d target, Vec3d up) {
        Vec3d f = target.minus(eye).normalized();
        Vec3d s = f.cross(up).normalized();
        Vec3d u = s.cross(f);
        float[] m = new float[16];
        m[0] = (float) s.x();
        m[4] = (float) s.y();
        m[8] = (float) s.z();
        m[1] = (float) u.x();
        m[5] = (float) u.y();
        m[9] = (float) u.z();
        m[2] = (float) -f.x();
        m[6] = (float) -f.y();
        m[10] = (float) -f.z();
        m[12] = (float) -s.dot(eye);
        m[13] = (float) -u.dot(eye);
        m[14] = (float) f.dot(eye);
        m[15] = 1;
        return m;
    }

    /** Symmetric orthographic projection of half-size {@code half}. */
    static float[] ortho(double half, double near, double far) {
        float[] m = new float[16];
        m[0] = (float) (1 / half);
        m[5] = (float) (1 / half);
        m[10] = (float) (-2 / (far - near));
        m[14] = (float) (-(far + near) / (far - near));
        m[15] = 1;
        return m;
    }

    @Override
    public void close() {
        glDeleteFramebuffers(fbo);
        glDeleteTextures(new int[] {directionalTex, cubeTex});
        glDeleteProgram(program);
    }
}
