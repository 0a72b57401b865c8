package dev.satflow.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the subset of the Confluent Schema Registry REST API that serdes and tooling use.
 * Works against satflow's embedded registry and against Confluent Schema Registry (or Karapace,
 * Redpanda, Apicurio's ccompat endpoint). Ids are immutable, so lookups by id are cached forever.
 */
public final class SchemaRegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    /** The Authorization header value, or null when the registry is open. */
    private final String authorization;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();

    /** A schema version registered under a subject. */
    public record Registered(String subject, int id, int version, Schema schema) {}

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, null);
    }

    /**
     * @param userInfo {@code user:password} sent as HTTP basic auth with every request (as Confluent's
     *                 basic.auth.user.info); null or empty = no credentials
     */
    public SchemaRegistryClient(String baseUrl, String userInfo) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(b);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = basicAuth(userInfo);
    }

    /** The {@code Authorization} header value for {@code user:password}; null for null or empty. */
    public static String basicAuth(String userInfo) {
        if (userInfo == null || userInfo.isEmpty()) {
            return null;
        }
        if (userInfo.indexOf(':') < 1) {
            throw new IllegalArgumentException("registry user info must be user:password");
        }
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    public String url() {
        return base.toString();
    }

    /** Registers (idempotently) and returns the global id. */
    public int register(String subject, Schema schema) {
        String cacheKey = subject + "\u0000" + schema;
        Integer cached = registered.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode r = send("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
        int id = r.get("id").asInt();
        registered.put(cacheKey, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The version under which this exact schema is registered, if it is. */
    public Optional<Registered> lookup(String subject, Schema schema) {
        try {
            JsonNode r = send("POST", "/subjects/" + enc(subject), schemaBody(schema));
            return Optional.of(registeredOf(r));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Schema schemaById(int id) {
        return byId.computeIfAbsent(id, i -> parse(send("GET", "/schemas/ids/" + i, null).get("schema").asText()));
    }

    public Registered latest(String subject) {
        return version(subject, "latest");
    }

    public Registered version(String subject, String version) {
        return registeredOf(send("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    public List<Integer> versions(String subject) {
        List<Integer> out = new ArrayList<>();
        send("GET", "/subjects/" + enc(subject) + "/versions", null).forEach(n -> out.add(n.asInt()));
        return out;
    }

    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        send("GET", "/subjects", null).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Whether the schema may be registered under the subject's compatibility level. */
    public boolean isCompatible(String subject, Schema schema) {
        return send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schemaBody(schema))
                .get("is_compatible").asBoolean();
    }

    /** Sets the level for a subject, or the global default when subject is null. */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", subject == null ? "/config" : "/config/" + enc(subject), body);
    }

    public String compatibility(String subject) {
        JsonNode r = send("GET", subject == null ? "/config" : "/config/" + enc(subject), null);
        return r.get("compatibilityLevel").asText();
    }

    private Registered registeredOf(JsonNode r) {
        Schema s = parse(r.get("schema").asText());
        int id = r.get("id").asInt();
        byId.putIfAbsent(id, s);
        return new Registered(r.get("subject").asText(), id, r.get("version").asInt(), s);
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE);
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        if (body != null) {
            req.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException(0, 50001, "schema registry " + base + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, 50002, "interrupted talking to " + base);
        }
        JsonNode json;
        try {
            json = resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new RegistryException(resp.statusCode(), 50003, method + " " + path + " returned non-JSON: "
                    + resp.body());
        }
        if (resp.statusCode() >= 300) {
            throw new RegistryException(resp.statusCode(), json.path("error_code").asInt(resp.statusCode()),
                    method + " " + path + ": " + json.path("message").asText(resp.body()));
        }
        return json;
    }
}
