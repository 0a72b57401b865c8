package dev.satflow.producers.render;

import static org.lwjgl.egl.EGL10.EGL_ALPHA_SIZE;
import static org.lwjgl.egl.EGL10.EGL_BLUE_SIZE;
import static org.lwjgl.egl.EGL10.EGL_DEPTH_SIZE;
import static org.lwjgl.egl.EGL10.EGL_EXTENSIONS;
import static org.lwjgl.egl.EGL10.EGL_GREEN_SIZE;
import static org.lwjgl.egl.EGL10.EGL_NONE;
import static org.lwjgl.egl.EGL10.EGL_NO_CONTEXT;
import static org.lwjgl.egl.EGL10.EGL_NO_DISPLAY;
import static org.lwjgl.egl.EGL10.EGL_NO_SURFACE;
import static org.lwjgl.egl.EGL10.EGL_PBUFFER_BIT;
import static org.lwjgl.egl.EGL10.EGL_RED_SIZE;
import static org.lwjgl.egl.EGL10.EGL_SUCCESS;
import static org.lwjgl.egl.EGL10.EGL_SURFACE_TYPE;
import static org.lwjgl.egl.EGL10.eglChooseConfig;
import static org.lwjgl.egl.EGL10.eglDestroyContext;
import static org.lwjgl.egl.EGL10.eglGetError;
import static org.lwjgl.egl.EGL10.eglInitialize;
import static org.lwjgl.egl.EGL10.eglMakeCurrent;
import static org.lwjgl.egl.EGL10.eglQueryString;
import static org.lwjgl.egl.EGL10.eglTerminate;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL12.eglBindAPI;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MAJOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MINOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK;
import static org.lwjgl.opengl.GL11C.GL_RENDERER;
import static org.lwjgl.opengl.GL11C.GL_VERSION;
import static org.lwjgl.opengl.GL11C.glGetString;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.egl.EXTDeviceEnumeration;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless OpenGL 3.3 core context through EGL: no window system, no GLFW, no X, no env vars.
 *
 * <p>Platforms are tried in order: Mesa's surfaceless platform (llvmpipe on a CPU box) and then
 * the EGL device platform (the standard headless path on NVIDIA, also Mesa's software device).
 *
 * <p>Threading: a context is current on the thread that created it and must be used and closed
 * there ({@link #checkThread()}). Several contexts may live in one process, one per render thread:
 * LWJGL's GL function provider is process-wide and is installed once; GL capabilities are per thread.
 * EGL displays are shared per platform and reference-counted, because eglTerminate on a display
 * would pull the rug from other threads' contexts on it.
 */
public final class EglContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EglContext.class);

    static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;

    /** Where the context comes from. */
    public enum Platform {
        /** EGL_MESA_platform_surfaceless: Mesa (llvmpipe, or a Mesa GPU driver). */
        SURFACELESS,
        /** EGL_EXT_platform_device, first device: NVIDIA headless, or Mesa's software device. */
        DEVICE
    }

    /** Try surfaceless first, then the device platform. */
    public static final List<Platform> DEFAULT_ORDER = List.of(Platform.SURFACELESS, Platform.DEVICE);

    /** Process-wide LWJGL state, guarded by the class lock: installed once, never torn down. */
    private static boolean glFunctionsLoaded;

    private static final Map<Platform, SharedDisplay> DISPLAYS = new HashMap<>();

    private final Platform platform;
    private final SharedDisplay display;
    private final long context;
    private final GLCapabilities capabilities;
    private final Thread owner;
    private final String glRenderer;
    private final String glVersion;
    private boolean closed;

    private EglContext(Platform platform, SharedDisplay display, long context, GLCapabilities capabilities) {
        this.platform = platform;
        this.display = display;
        this.context = context;
        this.capabilities = capabilities;
        this.owner = Thread.currentThread();
        this.glRenderer = glGetString(GL_RENDERER);
        this.glVersion = glGetString(GL_VERSION);
    }

    /** A context on the first platform of {@link #DEFAULT_ORDER} that works, current on this thread. */
    public static EglContext create() {
        return create(DEFAULT_ORDER);
    }

    /**
     * A context on the first platform of {@code order} that works, current on the calling thread.
     *
     * @throws EglException naming every platform tried and what failed on each
     */
    public static EglContext create(List<Platform> order) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no EGL platform to try");
        }
        List<EglException> failures = new ArrayList<>();
        for (Platform p : order) {
            try {
                EglContext ctx = createOn(p);
                log.info("EGL {} context: {} | {}", p, ctx.glRenderer, ctx.glVersion);
                return ctx;
            } catch (EglException e) {
                log.warn("EGL platform {} unusable: {}", p, e.getMessage());
                failures.add(e);
            }
        }
        StringBuilder msg = new StringBuilder("no headless OpenGL 3.3 core context:");
        for (EglException f : failures) {
            msg.append(' ').append(f.getMessage()).append(';');
        }
        EglException e = new EglException(msg.toString());
        failures.forEach(e::addSuppressed);
        throw e;
    }

    private static EglContext createOn(Platform platform) {
        synchronized (EglContext.class) {
            // Stop GL.create() from loading libGL.so.1 (GLX, X11): we hand it eglGetProcAddress instead.
            Configuration.OPENGL_EXPLICIT_INIT.set(true);
        }
        SharedDisplay display = acquireDisplay(platform);
        long context = EGL_NO_CONTEXT;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            // eglBindAPI is per thread: every render thread must bind OpenGL (not GLES) itself.
            if (!eglBindAPI(EGL_OPENGL_API)) {
                throw new EglException(platform + ": eglBindAPI(EGL_OPENGL_API) failed, " + errorName());
            }
            IntBuffer configAttribs = stack.ints(
                    EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,
                    EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                    EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8,
                    EGL_DEPTH_SIZE, 24,
                    EGL_NONE);
            PointerBuffer configs = stack.mallocPointer(1);
            IntBuffer count = stack.mallocInt(1);
            // No matching config is fine: EGL_KHR_no_config_context takes EGL_NO_CONFIG (0); we render to an FBO.
            long config = eglChooseConfig(display.handle, configAttribs, configs, count) && count.get(0) > 0
                    ? configs.get(0) : 0L;
            IntBuffer contextAttribs = stack.ints(
                    EGL_CONTEXT_MAJOR_VERSION, 3,
                    EGL_CONTEXT_MINOR_VERSION, 3,
                    EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                    EGL_NONE);
            context = EGL10.eglCreateContext(display.handle, config, EGL_NO_CONTEXT, contextAttribs);
            if (context == EGL_NO_CONTEXT) {
                throw new EglException(platform + ": eglCreateContext(OpenGL 3.3 core) failed, " + errorName());
            }
            // EGL_KHR_surfaceless_context: no pbuffer, all drawing goes to our own FBO.
            if (!eglMakeCurrent(display.handle, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
                throw new EglException(platform + ": eglMakeCurrent without a surface failed, " + errorName());
            }
            GLCapabilities caps;
            synchronized (EglContext.class) {
                if (!glFunctionsLoaded) {
                    // EGL_KHR_client_get_all_proc_addresses: core GL entry points come from eglGetProcAddress too.
                    GL.create(EGL10::eglGetProcAddress);
                    glFunctionsLoaded = true;
                }
            }
            caps = GL.createCapabilities();
            if (!caps.OpenGL33) {
                throw new EglException(platform + ": context lacks OpenGL 3.3 (" + glGetString(GL_VERSION) + ")");
            }
            return new EglContext(platform, display, context, caps);
        } catch (RuntimeException e) {
            GL.setCapabilities(null);
            if (context != EGL_NO_CONTEXT) {
                eglMakeCurrent(display.handle, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
                eglDestroyContext(display.handle, context);
            }
            releaseDisplay(display);
            throw e instanceof EglException ee ? ee : new EglException(platform + ": " + e, e);
        }
    }

    public Platform platform() {
        return platform;
    }

    /** GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
    public String glRenderer() {
        return glRenderer;
    }

    public String glVersion() {
        return glVersion;
    }

    public GLCapabilities capabilities() {
        return capabilities;
    }

    /** Fails unless called on the thread the context is current on. */
    public void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("GL context belongs to thread '" + owner.getName()
                    + "', called from '" + Thread.currentThread().getName() + "'");
        }
        if (closed) {
            throw new IllegalStateException("GL context is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkThread();
        closed = true;
        GL.setCapabilities(null);
        eglMakeCurrent(display.handle, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display.handle, context);
        releaseDisplay(display);
        // GL.destroy() is deliberately never called: the function provider is process-wide and
        // other threads may still be rendering with it.
    }

    // ---- shared displays ----

    private static final class SharedDisplay {
        final Platform platform;
        final long handle;
        int users;

        SharedDisplay(Platform platform, long handle) {
            this.platform = platform;
            this.handle = handle;
        }
    }

    private static synchronized SharedDisplay acquireDisplay(Platform platform) {
        SharedDisplay d = DISPLAYS.get(platform);
        if (d == null) {
            long handle = openDisplay(platform);
            try (MemoryStack stack = MemoryStack.stackPush()) {
                IntBuffer major = stack.mallocInt(1);
                IntBuffer minor = stack.mallocInt(1);
                if (!eglInitialize(handle, major, minor)) {
                    throw new EglException(platform + ": eglInitialize failed, " + errorName());
                }
                EGL.createDisplayCapabilities(handle, major.get(0), minor.get(0));
            }
            d = new SharedDisplay(platform, handle);
            DISPLAYS.put(platform, d);
        }
        d.users++;
        return d;
    }

    private static synchronized void releaseDisplay(SharedDisplay d) {
        if (--d.users == 0) {
            DISPLAYS.remove(d.platform);
            eglTerminate(d.handle);
        }
    }

    private static long openDisplay(Platform platform) {
        String clientExtensions;
        try {
            clientExtensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
        } catch (LinkageError | RuntimeException e) {
            throw new EglException(platform + ": libEGL.so.1 not loadable (install libegl1 libgl1-mesa-dri): " + e, e);
        }
        String ext = clientExtensions == null ? "" : clientExtensions;
        long fn = EGL.getCapabilities().eglGetPlatformDisplayEXT;
        if (fn == 0) {
            throw new EglException(platform + ": EGL_EXT_platform_base missing (client extensions: " + ext + ")");
        }
        long handle;
        if (platform == Platform.SURFACELESS) {
            if (!ext.contains("EGL_MESA_platform_surfaceless")) {
                throw new EglException("SURFACELESS: EGL_MESA_platform_surfaceless missing (client extensions: "
                        + ext + ")");
            }
            // LWJGL's wrappers reject native_display == 0, which is exactly what this platform needs:
            // call eglGetPlatformDisplayEXT's function pointer directly.
            handle = JNI.callPPP(EGL_PLATFORM_SURFACELESS_MESA, 0L, 0L, fn);
        } else {
            if (!ext.contains("EGL_EXT_platform_device") || !ext.contains("EGL_EXT_device_enumeration")) {
                throw new EglException("DEVICE: EGL_EXT_platform_device / EGL_EXT_device_enumeration missing "
                        + "(client extensions: " + ext + ")");
            }
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer devices = stack.mallocPointer(16);
                IntBuffer n = stack.mallocInt(1);
                if (!EXTDeviceEnumeration.eglQueryDevicesEXT(devices, n) || n.get(0) == 0) {
                    throw new EglException("DEVICE: eglQueryDevicesEXT found no EGL device, " + errorName());
                }
                handle = JNI.callPPP(EGL_PLATFORM_DEVICE_EXT, devices.get(0), 0L, fn);
            }
        }
        if (handle == EGL_NO_DISPLAY) {
            throw new EglException(platform + ": eglGetPlatformDisplayEXT returned no display, " + errorName());
        }
        return handle;
    }

    /** The pending EGL error as its name and hex code. */
    static String errorName() {
        int code = eglGetError();
        String name = switch (code) {
            case EGL_SUCCESS -> "EGL_SUCCESS";
            case 0x3001 -> "EGL_NOT_INITIALIZED";
            case 0x3002 -> "EGL_BAD_ACCESS";
            case 0x3003 -> "EGL_BAD_ALLOC";
            case 0x3004 -> "EGL_BAD_ATTRIBUTE";
            case 0x3005 -> "EGL_BAD_CONFIG";
            case 0x3006 -> "EGL_BAD_CONTEXT";
            case 0x3007 -> "EGL_BAD_CURRENT_SURFACE";
            case 0x3008 -> "EGL_BAD_DISPLAY";
            case 0x3009 -> "EGL_BAD_MATCH";
            case 0x300C -> "EGL_BAD_PARAMETER";
            case 0x300D -> "EGL_BAD_SURFACE";
            default -> "EGL error";
        };
        return name + " (0x" + Integer.toHexString(code) + ")";
    }
}
