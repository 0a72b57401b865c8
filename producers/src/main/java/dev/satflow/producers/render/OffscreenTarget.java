package dev.satflow.producers.render;

import static org.lwjgl.opengl.GL33C.GL_COLOR;
import static org.lwjgl.opengl.GL33C.GL_COLOR_ATTACHMENT0;
import static org.lwjgl.opengl.GL33C.GL_COLOR_ATTACHMENT1;
import static org.lwjgl.opengl.GL33C.GL_DEPTH32F_STENCIL8;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_COMPONENT;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_STENCIL;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_STENCIL_ATTACHMENT;
import static org.lwjgl.opengl.GL33C.GL_FLOAT;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER_COMPLETE;
import static org.lwjgl.opengl.GL33C.GL_PACK_ALIGNMENT;
import static org.lwjgl.opengl.GL33C.GL_R32UI;
import static org.lwjgl.opengl.GL33C.GL_RED_INTEGER;
import static org.lwjgl.opengl.GL33C.GL_RENDERBUFFER;
import static org.lwjgl.opengl.GL33C.GL_RGB;
import static org.lwjgl.opengl.GL33C.GL_RGBA;
import static org.lwjgl.opengl.GL33C.GL_RGBA8;
import static org.lwjgl.opengl.GL33C.GL_UNSIGNED_BYTE;
import static org.lwjgl.opengl.GL33C.GL_UNSIGNED_INT;
import static org.lwjgl.opengl.GL33C.glBindFramebuffer;
import static org.lwjgl.opengl.GL33C.glBindRenderbuffer;
import static org.lwjgl.opengl.GL33C.glCheckFramebufferStatus;
import static org.lwjgl.opengl.GL33C.glClearBufferfi;
import static org.lwjgl.opengl.GL33C.glClearBufferfv;
import static org.lwjgl.opengl.GL33C.glClearBufferuiv;
import static org.lwjgl.opengl.GL33C.glDeleteFramebuffers;
import static org.lwjgl.opengl.GL33C.glDeleteRenderbuffers;
import static org.lwjgl.opengl.GL33C.glDrawBuffers;
import static org.lwjgl.opengl.GL33C.glFramebufferRenderbuffer;
import static org.lwjgl.opengl.GL33C.glGenFramebuffers;
import static org.lwjgl.opengl.GL33C.glGenRenderbuffers;
import static org.lwjgl.opengl.GL33C.glPixelStorei;
import static org.lwjgl.opengl.GL33C.glReadBuffer;
import static org.lwjgl.opengl.GL33C.glReadPixels;
import static org.lwjgl.opengl.GL33C.glRenderbufferStorage;
import static org.lwjgl.opengl.GL33C.glViewport;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * The renderer's one framebuffer: RGBA8 colour, R32UI object id (0 = room/background) and
 * 32-bit float depth with 8-bit stencil (the stencil makes occlusion queries count each pixel once).
 * No MSAA, so the id buffer is exact. Owns the direct buffers the three images are read into;
 * rows in them are bottom-up, as GL returns them.
 */
final class OffscreenTarget implements AutoCloseable {
    private static final float[] BACKGROUND = {0.05f, 0.05f, 0.06f, 1f};

    private final int fbo = glGenFramebuffers();
    private final int colour = glGenRenderbuffers();
    private final int ids = glGenRenderbuffers();
    private final int depthStencil = glGenRenderbuffers();
    private int width;
    private int height;
    private ByteBuffer rgba;
    /** Packed RGB, bottom-up rows: what frames are made of. */
    private ByteBuffer rgb;
    private IntBuffer idPixels;
    private FloatBuffer depthPixels;

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** (Re)allocates the attachments and readback buffers when the size changes. */
    void ensureSize(int w, int h) {
        if (w <= 0 || h <= 0 || w > 8192 || h > 8192) {
            throw new IllegalArgumentException("render size " + w + "x" + h + " out of range 1..8192");
        }
        if (w == width && h == height) {
            return;
        }
        storage(colour, GL_RGBA8, w, h);
        storage(ids, GL_R32UI, w, h);
        storage(depthStencil, GL_DEPTH32F_STENCIL8, w, h);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT1, GL_RENDERBUFFER, ids);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, depthStencil);
        glDrawBuffers(new int[] {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1});
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            throw new IllegalStateException("render framebuffer incomplete: 0x" + Integer.toHexString(status));
        }
        freeBuffers();
        rgba = MemoryUtil.memAlloc(w * h * 4);
        rgb = MemoryUtil.memAlloc(w * h * 3);
        idPixels = MemoryUtil.memAllocInt(w * h);
        depthPixels = MemoryUtil.memAllocFloat(w * h);
        width = w;
        height = h;
    }

    /** Binds the framebuffer and clears colour, id (0), depth (1) and stencil (0). */
    void bindAndClear() {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glViewport(0, 0, width, height);
        glClearBufferfv(GL_COLOR, 0, BACKGROUND);
        glClearBufferuiv(GL_COLOR, 1, new int[] {0, 0, 0, 0});
        glClearBufferfi(GL_DEPTH_STENCIL, 0, 1f, 0);
    }

    /** Reads colour, ids and depth into {@link #rgba()}, {@link #ids()}, {@link #depth()}. */
    void readBack() {
        readBack(false);
    }

    /**
     * As {@link #readBack()}, colour as packed RGB instead when {@code forImage}, for
     * {@link #rgbTopDown()}: llvmpipe drops alpha faster than a Java loop does (0.5 ms vs 1.6 ms at 512²).
     */
    void readBack(boolean forImage) {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        if (forImage) {
            glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb);
        } else {
            glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        }
        glReadBuffer(GL_COLOR_ATTACHMENT1);
        glReadPixels(0, 0, width, height, GL_RED_INTEGER, GL_UNSIGNED_INT, idPixels);
        glReadPixels(0, 0, width, height, GL_DEPTH_COMPONENT, GL_FLOAT, depthPixels);
    }

    /** RGBA8, bottom-up rows, as of the last {@code readBack(false)} (a {@code readBack(true)} leaves it stale). */
    ByteBuffer rgba() {
        return rgba;
    }

    /** Object ids, bottom-up rows. */
    IntBuffer ids() {
        return idPixels;
    }

    /** Window depth in [0,1], bottom-up rows. */
    FloatBuffer depth() {
        return depthPixels;
    }

    /** Top-down RGB (what image files hold): GL's bottom-up rows of the last {@code readBack(true)}, flipped. */
    byte[] rgbTopDown() {
        int rowBytes = width * 3;
        byte[] out = new byte[rowBytes * height];
        for (int y = 0; y < height; y++) {
            rgb.get((height - 1 - y) * rowBytes, out, y * rowBytes, rowBytes);
        }
        return out;
    }

    private static void storage(int renderbuffer, int format, int w, int h) {
        glBindRenderbuffer(GL_RENDERBUFFER, renderbuffer);
        glRenderbufferStorage(GL_RENDERBUFFER, format, w, h);
    }

    private void freeBuffers() {
        if (rgba != null) {
            MemoryUtil.memFree(rgba);
            MemoryUtil.memFree(rgb);
            MemoryUtil.memFree(idPixels);
            MemoryUtil.memFree(depthPixels);
            rgba = null;
        }
    }

    @Override
    public void close() {
        glDeleteFramebuffers(fbo);
        glDeleteRenderbuffers(new int[] {colour, ids, depthStencil});
        freeBuffers();
    }
}
