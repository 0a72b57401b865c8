package dev.satflow.producers.render;

import static org.lwjgl.opengl.GL20C.GL_COMPILE_STATUS;
import static org.lwjgl.opengl.GL20C.GL_FRAGMENT_SHADER;
import static org.lwjgl.opengl.GL20C.GL_LINK_STATUS;
import static org.lwjgl.opengl.GL20C.GL_VERTEX_SHADER;
import static org.lwjgl.opengl.GL20C.glAttachShader;
import static org.lwjgl.opengl.GL20C.glCompileShader;
import static org.lwjgl.opengl.GL20C.glCreateProgram;
import static org.lwjgl.opengl.GL20C.glCreateShader;
import static org.lwjgl.opengl.GL20C.glDeleteShader;
import static org.lwjgl.opengl.GL20C.glGetProgramInfoLog;
import static org.lwjgl.opengl.GL20C.glGetProgrami;
import static org.lwjgl.opengl.GL20C.glGetShaderInfoLog;
import static org.lwjgl.opengl.GL20C.glGetShaderi;
import static org.lwjgl.opengl.GL20C.glGetUniformLocation;
import static org.lwjgl.opengl.GL20C.glLinkProgram;
import static org.lwjgl.opengl.GL20C.glShaderSource;

/** GLSL sources and compile/link helpers. */
final class Shaders {
    private Shaders() {}

    /**
     * Shared by the lit pass and the coverage (occlusion-query) pass: {@code invariant gl_Position}
     * plus the same expression guarantee both rasterise exactly the same pixels, which is what
     * makes visibleFraction exactly 1 for an unoccluded object.
     */
    static final String SCENE_VS = """
            #version 330 core
            layout(location = 0) in vec3 aPos;
            layout(location = 1) in vec3 aNormal;
            uniform mat4 uModel;
            uniform mat3 uNormalMatrix;
            uniform mat4 uViewProj;
            out vec3 vWorld;
            out vec3 vNormal;
            invariant gl_Position;
            void main() {
                vec4 world = uModel * vec4(aPos, 1.0);
                vWorld = world.xyz;
                vNormal = uNormalMatrix * aNormal;
                gl_Position = uViewProj * world;
            }
            """;

    /**
     * The lit pass. Compiled once per shadow kind ({@code SHADOW_KIND} 0 none, 1 directional map,
     * 2 point-light distance cube) instead of branching on a uniform: llvmpipe runs fragment shaders
     * as SIMD and pays for both sides of a branch, which made an unused shadow lookup cost 3x the
     * whole pass. For the same reason the shadowed light is always light 0, the three light slots are
     * unrolled per light count (a loop over a uniform count with dynamic array indexing cost 20%; two
     * black slots evaluated anyway cost a quarter of the draw) and nothing else branches.
     */
    static String litFragmentShader(int shadowKind, int lights) {
        if (lights < 1 || lights > SceneModel.MAX_LIGHTS) {
            throw new IllegalArgumentException("lights must be in 1.." + SceneModel.MAX_LIGHTS + ", got " + lights);
        }
        return "#version 330 core\n#define SHADOW_KIND " + shadowKind + "\n#define MAX_LIGHTS " + lights + "\n"
                + LIT_FS_BODY;
    }

    private static final String LIT_FS_BODY = """
            in vec3 vWorld;
            in vec3 vNormal;
            uniform vec3 uAlbedo;          // linear
            uniform float uSpecular;
            uniform float uShininess;
            uniform float uEmissive;
            uniform uint uId;
            uniform vec3 uCameraPos;
            uniform vec3 uAmbient;
            uniform vec4 uLightPos[MAX_LIGHTS];   // w = 1: point position; w = 0: direction towards the light
            uniform vec3 uLightColor[MAX_LIGHTS]; // linear colour * intensity
            #if SHADOW_KIND == 1
            uniform sampler2DShadow uShadowMap;   // border depth 1: outside the map is lit
            uniform mat4 uShadowViewProj;
            #elif SHADOW_KIND == 2
            uniform samplerCubeShadow uShadowCube;
            uniform float uShadowFar;
            #endif
            layout(location = 0) out vec4 outColor;
            layout(location = 1) out uint outId;

            vec3 light(int i, vec3 n, vec3 v) {
                vec4 lp = uLightPos[i];
                vec3 toLight = lp.xyz - vWorld * lp.w;   // w = 0: lp.xyz is already the direction
                float dist = length(toLight);
                vec3 l = toLight / dist;
                float d = dist * lp.w;
                float attenuation = 1.0 / (1.0 + 0.09 * d + 0.032 * d * d);
                float ndl = max(dot(n, l), 0.0);
                float spec = uSpecular * pow(max(dot(n, normalize(l + v)), 0.0), uShininess);
                return attenuation * ndl * uLightColor[i] * (uAlbedo + vec3(spec));
            }

            void main() {
                vec3 n = normalize(vNormal);
                vec3 v = normalize(uCameraPos - vWorld);
                n = dot(n, v) < 0.0 ? -n : n; // thin room surfaces are seen from either side
                vec3 color = (uAmbient + uEmissive) * uAlbedo;
                #if SHADOW_KIND == 1
                vec4 p = uShadowViewProj * vec4(vWorld + n * 0.015, 1.0);
                vec3 s = p.xyz / p.w * 0.5 + 0.5;
                color += texture(uShadowMap, vec3(s.xy, s.z - 0.0015)) * light(0, n, v);
                #elif SHADOW_KIND == 2
                vec3 d = vWorld + n * 0.02 - uLightPos[0].xyz;
                color += texture(uShadowCube, vec4(d, length(d) / uShadowFar - 0.004)) * light(0, n, v);
                #else
                color += light(0, n, v);
                #endif
                #if MAX_LIGHTS > 1
                color += light(1, n, v);
                #endif
                #if MAX_LIGHTS > 2
                color += light(2, n, v);
                #endif
                outColor = vec4(pow(clamp(color, 0.0, 1.0), vec3(1.0 / 2.2)), 1.0);
                outId = uId;
            }
            """;

    /** Colour writes are masked during the coverage pass; the shader only has to exist. */
    static final String COVERAGE_FS = """
            #version 330 core
            layout(location = 0) out vec4 outColor;
            void main() {
                outColor = vec4(1.0);
            }
            """;

    static final String SHADOW_VS = """
            #version 330 core
            layout(location = 0) in vec3 aPos;
            uniform mat4 uModel;
            uniform mat4 uLightViewProj;
            out vec3 vWorld;
            void main() {
                vec4 world = uModel * vec4(aPos, 1.0);
                vWorld = world.xyz;
                gl_Position = uLightViewProj * world;
            }
            """;

    /** Point lights store distance / far (radial, so the six cube faces agree); directional keeps depth. */
    static final String SHADOW_FS = """
            #version 330 core
            in vec3 vWorld;
            uniform int uRadial;
            uniform vec3 uLightPos;
            uniform float uFar;
            void main() {
                gl_FragDepth = uRadial == 1 ? length(vWorld - uLightPos) / uFar : gl_FragCoord.z;
            }
            """;

    static int program(String name, String vertexSource, String fragmentSource) {
        int vs = compile(name, GL_VERTEX_SHADER, vertexSource);
        int fs = compile(name, GL_FRAGMENT_SHADER, fragmentSource);
        int p = glCreateProgram();
        glAttachShader(p, vs);
        glAttachShader(p, fs);
        glLinkProgram(p);
        glDeleteShader(vs);
        glDeleteShader(fs);
        if (glGetProgrami(p, GL_LINK_STATUS) == 0) {
            throw new IllegalStateException("linking GL program '" + name + "' failed: " + glGetProgramInfoLog(p));
        }
        return p;
    }

    /** Location of a uniform the program must have (catches typos and accidental dead code). */
    static int uniform(int program, String name) {
        int loc = glGetUniformLocation(program, name);
        if (loc < 0) {
            throw new IllegalStateException("GL program has no active uniform '" + name + "'");
        }
        return loc;
    }

    /** Location of a uniform only some variants use; -1 (ignored by glUniform*) when absent. */
    static int optionalUniform(int program, String name) {
        return glGetUniformLocation(program, name);
    }

    private static int compile(String name, int type, String source) {
        int s = glCreateShader(type);
        glShaderSource(s, source);
        glCompileShader(s);
        if (glGetShaderi(s, GL_COMPILE_STATUS) == 0) {
            String log = glGetShaderInfoLog(s);
            glDeleteShader(s);
            throw new IllegalStateException("compiling " + (type == GL_VERTEX_SHADER ? "vertex" : "fragment")
                    + " shader of '" + name + "' failed: " + log);
        }
        return s;
    }
}
