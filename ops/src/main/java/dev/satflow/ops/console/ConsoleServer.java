package dev.satflow.ops.console;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satflow.ops.tap.AvroJson;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The console's HTTP side, on the JDK's own server (no dependencies): the page and its static
 * files from the class path, one server-sent event stream per page ({@code /events?type=&split=}:
 * a snapshot of what the console holds, then live events), images by reference ({@code /img}) and
 * two JSON look-ups ({@code /api/state}: what a page gets on connecting, for scripts; {@code /api/qa}:
 * one question as {@code satflow tap} prints it). Read-only: every route is a GET.
 */
final class ConsoleServer implements AutoCloseable {
    private static final String ROOT = "/dev/satflow/ops/console/";
    /** Folders and names of letters, digits, '_', '-' and single dots: nothing climbs out of the folder. */
    private static final Pattern STATIC = Pattern.compile(
            "[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*(?:/[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)*\\.(html|js|css|txt|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml");
    private static final long HEARTBEAT_MS = 15_000;
    static final int SNAPSHOT_CARDS = 48;
    static final int SNAPSHOT_FRAMES = 8;

    private final ConsoleState state;
    private final EventHub hub;
    private final ImageService images;
    private final ObjectNode hello;
    private final String qaTopic;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /**
     * Binds now. With {@code fallback}, a port in use gives way to any free one (the demo's default
     * port may be taken; an explicit port is not silently changed).
     */
    ConsoleServer(String bind, int port, boolean fallback, ConsoleState state, EventHub hub, ImageService images,
            ObjectNode hello, String qaTopic) {
        this.state = state;
        this.hub = hub;
        this.images = images;
        this.hello = hello;
        this.qaTopic = qaTopic;
        HttpServer s;
        try {
            try {
                s = HttpServer.create(new InetSocketAddress(bind, port), 64);
            } catch (BindException e) {
                if (!fallback || port == 0) {
                    throw new ConfigException("console port " + port + " on " + bind + ": " + e.getMessage());
                }
                s = HttpServer.create(new InetSocketAddress(bind, 0), 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the console on " + bind + ":" + port, e);
        }
        this.server = s;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "satflow-console-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    ConsoleServer start() {
        server.start();
        return this;
    }

    URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "GET only\n".getBytes(StandardCharsets.UTF_8), false);
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            switch (path) {
                case "/events" -> events(ex, q);
                case "/img" -> image(ex, q);
                case "/api/state" -> json(ex, stateJson(new ConsoleState.Filter(q.get("type"), q.get("split"))));
                case "/api/qa" -> qa(ex, q);
                default -> file(ex, path);
            }
        } catch (IOException e) {
            // the page went away mid-answer
        } catch (RuntimeException e) {
            try {
                send(ex, 500, "text/plain; charset=utf-8", (e + "\n").getBytes(StandardCharsets.UTF_8), false);
            } catch (IOException | RuntimeException ignored) {
                // headers already sent
            }
        }
    }

    private void file(HttpExchange ex, String path) throws IOException {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!STATIC.matcher(name).matches()) {
            notFound(ex, path);
            return;
        }
        byte[] body = files.computeIfAbsent(name, ConsoleServer::resource);
        if (body.length == 0) {
            notFound(ex, path);
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, TYPES.get(ext), body, ex.getRequestMethod().equals("HEAD"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void events(HttpExchange ex, Map<String, String> q) throws IOException {
        ConsoleState.Filter filter = new ConsoleState.Filter(q.get("type"), q.get("split"));
        EventHub.Subscriber sub;
        try {
            sub = hub.subscribe(filter);
        } catch (EventHub.Full e) {
            send(ex, 503, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), false);
            return;
        }
        try (sub) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            // subscribed first, so nothing falls between the snapshot and the live events (a card may come twice)
            for (EventHub.Event e : snapshot(filter)) {
                out.write(e.frame());
            }
            out.flush();
            while (!sub.isClosed() && !stopping) {
                EventHub.Event e = sub.poll(HEARTBEAT_MS);
                if (e == null) {
                    if (sub.isClosed()) {
                        break;
                    }
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(e.frame());
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a page needs on (re)connecting: who we are, the history, the latest of everything. */
    private List<EventHub.Event> snapshot(ConsoleState.Filter filter) {
        ObjectNode evals = ConsoleState.JSON.createObjectNode();
        ArrayNode list = evals.putArray("reports");
        state.evals().forEach(list::add);
        ObjectNode frames = ConsoleState.JSON.createObjectNode();
        ArrayNode fl = frames.putArray("frames");
        state.frames(SNAPSHOT_FRAMES).forEach(fl::add);
        ObjectNode history = ConsoleState.JSON.createObjectNode();
        history.set("points", state.history());
        return List.of(EventHub.Event.of("hello", hello.toString()), EventHub.Event.of("history", history.toString()),
                EventHub.Event.of("stats", state.lastStats().toString()), EventHub.Event.of("evals", evals.toString()),
                EventHub.Event.of("frames", frames.toString()),
                hub.cardsEvent(state.cards(filter, SNAPSHOT_CARDS), filter, 0, true));
    }

    private ObjectNode stateJson(ConsoleState.Filter filter) {
        ObjectNode o = ConsoleState.JSON.createObjectNode();
        o.set("hello", hello);
        o.set("stats", state.lastStats());
        ArrayNode evals = o.putArray("evals");
        state.evals().forEach(evals::add);
        ArrayNode frames = o.putArray("frames");
        state.frames(SNAPSHOT_FRAMES).forEach(frames::add);
        ArrayNode cards = o.putArray("cards");
        state.cards(filter, SNAPSHOT_CARDS).forEach(c -> cards.add(ConsoleState.cardJson(c, qaTopic)));
        o.put("pages", hub.size());
        return o;
    }

    /** A question as {@code satflow tap} prints it: coordinates, key and the value from its schema. */
    private void qa(HttpExchange ex, Map<String, String> q) throws IOException {
        int partition;
        long offset;
        try {
            partition = ImageService.integer(q, "partition", -1);
            offset = ImageService.longValue(q, "offset");
        } catch (ImageService.BadRequest e) {
            send(ex, 400, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), false);
            return;
        }
        QaRecord r;
        try {
            r = images.question(partition, offset).orElse(null);
        } catch (ImageService.NotFound e) {
            r = null;
        }
        if (r == null) {
            notFound(ex, qaTopic + " " + partition + "@" + offset);
            return;
        }
        String json = "{\"topic\":" + ConsoleState.JSON.writeValueAsString(qaTopic) + ",\"partition\":" + partition
                + ",\"offset\":" + offset + ",\"key\":" + ConsoleState.JSON.writeValueAsString(r.getSceneId())
                + ",\"value\":" + AvroJson.toJson(r) + "}";
        ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
        send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    private void image(HttpExchange ex, Map<String, String> q) throws IOException {
        try {
            ImageService.Image img = images.image(q);
            ex.getResponseHeaders().set("Cache-Control", "max-age=86400, immutable"); // a record never changes
            send(ex, 200, img.contentType(), img.bytes(), ex.getRequestMethod().equals("HEAD"));
        } catch (ImageService.NotFound e) {
            notFound(ex, e.getMessage());
        } catch (ImageService.BadRequest e) {
            send(ex, 400, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), false);
        } catch (ImageService.Busy e) {
            ex.getResponseHeaders().set("Retry-After", "1");
            send(ex, 503, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), false);
        }
    }

    private static void json(HttpExchange ex, Object node) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, "application/json", ConsoleState.JSON.writeValueAsBytes(node), false);
    }

    private static void notFound(HttpExchange ex, String what) throws IOException {
        send(ex, 404, "text/plain; charset=utf-8", ("not found: " + what + "\n").getBytes(StandardCharsets.UTF_8),
                false);
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body, boolean head) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (head) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    @Override
    public void close() {
        stopping = true;
        hub.closeAll();
        server.stop(0);
        pool.shutdownNow();
    }
}
