package dev.satflow.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satflow.contracts.SchemaRegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A Confluent-API schema registry (Avro only) for the local stack and tests. Speaks the REST subset
 * that serializers and tooling use; compatibility levels NONE, BACKWARD (default), FORWARD, FULL and
 * their _TRANSITIVE forms are decided with Avro's own SchemaCompatibility. State lives in a
 * {@link SchemaLog} (a compacted {@code _schemas} topic in the local stack) and is rebuilt from it
 * on start. Started with user info it requires HTTP basic auth on every request (401 otherwise), as Confluent's
 * registry does with authentication.method=BASIC. Limits: one instance writes the log; no schema references, no
 * deletes, one user, plain HTTP (put TLS in front of it where the network is not trusted).
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern SUBJECT_VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)$");
    private static final Pattern SUBJECT_VERSION_SCHEMA = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/schema$");
    private static final Pattern SUBJECT = Pattern.compile("^/subjects/([^/]+)/?$");
    private static final Pattern SCHEMA_ID = Pattern.compile("^/schemas/ids/(\\d+)$");
    private static final Pattern COMPAT = Pattern.compile("^/compatibility/subjects/([^/]+)/versions/([^/]+)$");
    private static final Pattern CONFIG = Pattern.compile("^/config(?:/([^/]+))?/?$");
    private static final List<String> LEVELS = List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private record Version(int version, int id, String schema) {}

    private final SchemaLog log;
    private final HttpServer http;
    /** The Authorization header every request must carry; null = open. */
    private final String authorization;
    // guarded by this
    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, String> subjectLevels = new HashMap<>();
    private String globalLevel = "BACKWARD";
    private int nextId = 1;

    private SchemaRegistryServer(SchemaLog log, HttpServer http, String authorization) {
        this.log = log;
        this.http = http;
        this.authorization = authorization;
    }

    /** Starts on 127.0.0.1:port (0 = any free port) after replaying the log; no authentication. */
    public static SchemaRegistryServer start(SchemaLog log, int port) {
        return start(log, port, null);
    }

    /**
     * Starts on 127.0.0.1:port (0 = any free port) after replaying the log.
     *
     * @param userInfo {@code user:password} every request must present as HTTP basic auth; null or empty = open
     */
    public static SchemaRegistryServer start(SchemaLog log, int port, String userInfo) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            SchemaRegistryServer s = new SchemaRegistryServer(log, http, SchemaRegistryClient.basicAuth(userInfo));
            for (SchemaLog.Entry e : log.replay()) {
                s.apply(e);
            }
            http.createContext("/", s::handle);
            http.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "satflow-registry-http");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("schema registry cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        log.close();
    }

    // ---- state changes: every change is logged first, then applied (so a replay rebuilds it) ----

    private synchronized void apply(SchemaLog.Entry e) {
        String type = e.key().path("keytype").asText();
        if ("SCHEMA".equals(type) && e.value() != null) {
            String subject = e.value().get("subject").asText();
            int id = e.value().get("id").asInt();
            String schema = e.value().get("schema").asText();
            subjects.computeIfAbsent(subject, s -> new ArrayList<>())
                    .add(new Version(e.value().get("version").asInt(), id, schema));
            schemaById.put(id, schema);
            idBySchema.putIfAbsent(schema, id);
            nextId = Math.max(nextId, id + 1);
        } else if ("CONFIG".equals(type)) {
            String subject = e.key().path("subject").isNull() || e.key().path("subject").isMissingNode()
                    ? null : e.key().get("subject").asText();
            String level = e.value() == null ? null : e.value().get("compatibilityLevel").asText();
            if (subject == null) {
                globalLevel = level == null ? "BACKWARD" : level;
            } else if (level == null) {
                subjectLevels.remove(subject);
            } else {
                subjectLevels.put(subject, level);
            }
        }
    }

    private synchronized ObjectNode register(String subject, Schema schema) {
        String canonical = schema.toString();
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        for (Version v : versions) {
            if (v.schema().equals(canonical)) {
                return JSON.createObjectNode().put("id", v.id());
            }
        }
        if (!compatible(subject, schema, versions)) {
            throw new HttpError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\" under compatibility " + level(subject));
        }
        int id = idBySchema.getOrDefault(canonical, nextId);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject)
                .put("version", version).put("magic", 1);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", canonical).put("deleted", false);
        SchemaLog.Entry entry = new SchemaLog.Entry(key, value);
        log.append(entry);
        apply(entry);
        return JSON.createObjectNode().put("id", id);
    }

    private synchronized void setLevel(String subject, String level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        SchemaLog.Entry entry = new SchemaLog.Entry(key, JSON.createObjectNode().put("compatibilityLevel", level));
        log.append(entry);
        apply(entry);
    }

    private synchronized String level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** Checks the candidate against the latest version, or all versions for _TRANSITIVE levels. */
    private boolean compatible(String subject, Schema candidate, List<Version> versions) {
        if (versions.isEmpty()) {
            return true;
        }
        String level = level(subject);
        if ("NONE".equals(level)) {
            return true;
        }
        List<Version> against = level.endsWith("_TRANSITIVE") ? versions : List.of(versions.get(versions.size() - 1));
        String base = level.replace("_TRANSITIVE", "");
        for (Version v : against) {
            Schema old = new Schema.Parser().parse(v.schema());
            boolean backward = canRead(candidate, old);
            boolean forward = canRead(old, candidate);
            boolean ok = switch (base) {
                case "BACKWARD" -> backward;
                case "FORWARD" -> forward;
                case "FULL" -> backward && forward;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    // ---- HTTP ----

    private static final class HttpError extends RuntimeException {
        final int status;
        final int code;

        HttpError(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int status = 200;
        JsonNode answer;
        try {
            if (authorization != null && !authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"satflow-registry\"");
                throw new HttpError(401, 401, ex.getRequestHeaders().containsKey("Authorization")
                        ? "Unauthorized: wrong user or password (HTTP basic auth)"
                        : "Unauthorized: this registry requires HTTP basic auth (registry.user-info = user:password)");
            }
            JsonNode body = null;
            byte[] in = ex.getRequestBody().readAllBytes();
            if (in.length > 0) {
                try {
                    body = JSON.readTree(in);
                } catch (IOException e) {
                    throw new HttpError(400, 400, "request body is not JSON");
                }
            }
            answer = route(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), body);
        } catch (HttpError e) {
            status = e.status;
            answer = JSON.createObjectNode().put("error_code", e.code).put("message", e.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            answer = JSON.createObjectNode().put("error_code", 50001).put("message", String.valueOf(e));
        }
        try (ex) {
            respond(ex, status, answer);
        }
    }

    /** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
    private boolean authorized(String header) {
        return header != null && java.security.MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode route(String method, String path, JsonNode body) {
        Matcher m;
        if (path.equals("/") || path.isEmpty()) {
            return JSON.createObjectNode();
        }
        if (path.equals("/subjects") || path.equals("/subjects/")) {
            ArrayNode a = JSON.createArrayNode();
            synchronized (this) {
                subjects.keySet().forEach(a::add);
            }
            return a;
        }
        if ((m = SCHEMA_ID.matcher(path)).matches()) {
            int id = Integer.parseInt(m.group(1));
            String s;
            synchronized (this) {
                s = schemaById.get(id);
            }
            if (s == null) {
                throw new HttpError(404, 40403, "Schema " + id + " not found");
            }
            return JSON.createObjectNode().put("schema", s);
        }
        if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if ("POST".equals(method)) {
                return register(subject, schemaOf(body));
            }
            ArrayNode a = JSON.createArrayNode();
            versionsOf(subject).forEach(v -> a.add(v.version()));
            return a;
        }
        if ((m = SUBJECT_VERSION_SCHEMA.matcher(path)).matches()) {
            try {
                return JSON.readTree(find(decode(m.group(1)), m.group(2)).schema());
            } catch (IOException e) {
                throw new HttpError(500, 50001, e.getMessage());
            }
        }
        if ((m = SUBJECT_VERSION.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            Version v = find(subject, m.group(2));
            return versionNode(subject, v);
        }
        if ((m = SUBJECT.matcher(path)).matches() && "POST".equals(method)) {
            String subject = decode(m.group(1));
            String canonical = schemaOf(body).toString();
            for (Version v : versionsOf(subject)) {
                if (v.schema().equals(canonical)) {
                    return versionNode(subject, v);
                }
            }
            throw new HttpError(404, 40403, "Schema not found under subject " + subject);
        }
        if ((m = COMPAT.matcher(path)).matches() && "POST".equals(method)) {
            String subject = decode(m.group(1));
            Schema candidate = schemaOf(body);
            List<Version> versions = versionsOrEmpty(subject);
            List<Version> against = "latest".equals(m.group(2)) ? versions : List.of(find(subject, m.group(2)));
            boolean ok;
            synchronized (this) {
                ok = compatible(subject, candidate, level(subject).endsWith("_TRANSITIVE") ? versions : against);
            }
            return JSON.createObjectNode().put("is_compatible", ok);
        }
        if ((m = CONFIG.matcher(path)).matches()) {
            String subject = m.group(1) == null ? null : decode(m.group(1));
            if ("PUT".equals(method)) {
                String level = body == null ? "" : body.path("compatibility").asText("");
                if (!LEVELS.contains(level)) {
                    throw new HttpError(422, 42203, "Invalid compatibility level '" + level + "', expected one of "
                            + LEVELS);
                }
                setLevel(subject, level);
                return JSON.createObjectNode().put("compatibility", level);
            }
            return JSON.createObjectNode().put("compatibilityLevel", subject == null ? globalLevel() : level(subject));
        }
        throw new HttpError(404, 404, "no route for " + method + " " + path);
    }

    private synchronized String globalLevel() {
        return globalLevel;
    }

    private synchronized List<Version> versionsOrEmpty(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    private List<Version> versionsOf(String subject) {
        List<Version> v = versionsOrEmpty(subject);
        if (v.isEmpty()) {
            throw new HttpError(404, 40401, "Subject '" + subject + "' not found.");
        }
        return v;
    }

    private Version find(String subject, String version) {
        List<Version> versions = versionsOf(subject);
        if ("latest".equals(version) || "-1".equals(version)) {
            return versions.get(versions.size() - 1);
        }
        try {
            int n = Integer.parseInt(version);
            return versions.stream().filter(v -> v.version() == n).findFirst()
                    .orElseThrow(() -> new HttpError(404, 40402, "Version " + version + " not found."));
        } catch (NumberFormatException e) {
            throw new HttpError(422, 42202, "The specified version '" + version + "' is not a valid version id.");
        }
    }

    private static ObjectNode versionNode(String subject, Version v) {
        return JSON.createObjectNode().put("subject", subject).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema());
    }

    private static Schema schemaOf(JsonNode body) {
        if (body == null || !body.hasNonNull("schema")) {
            throw new HttpError(422, 42201, "request body needs a 'schema' string");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new HttpError(422, 42201, "only AVRO schemas are supported, got schemaType " + type);
        }
        try {
            return new Schema.Parser().parse(body.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new HttpError(422, 42201, "Invalid schema: " + e.getMessage());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
