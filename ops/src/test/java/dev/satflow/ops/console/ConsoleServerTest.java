package dev.satflow.ops.console;

import static dev.satflow.ops.console.ConsoleFixtures.FRAMES;
import static dev.satflow.ops.console.ConsoleFixtures.frame;
import static dev.satflow.ops.console.ConsoleFixtures.question;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.Topics;
import dev.satflow.schema.Frame;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's HTTP side without Kafka (records handed to its state): static files, the event
 * stream to several pages at once (each through its filter, a stalled one holding up nobody), images
 * by reference with the question's marks, the record look-up, and the page limit.
 */
class ConsoleServerTest {
    private static final int SIZE = 64;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private ConsoleState state;
    private EventHub hub;
    private ConsoleServer server;
    private URI base;

    @BeforeEach
    void start() {
        Topics topics = Topics.create(new SchemaRegistryClient("http://127.0.0.1:9"), 3, false);
        state = new ConsoleState();
        state.onFrame(1, 10, 0, frame("scene-1", "scene-1/v0", SIZE), false, 0);
        for (int i = 0; i < 6; i++) {
            state.onQa(1, i, 0, question("scene-1", i, i < 2 ? "counting" : "left_right", i % 3 == 0 ? "test" : "train",
                    1, 10, SIZE), false, 0);
        }
        hub = new EventHub(8, topics.qa().name());
        RecordLookup nothingElse = (topic, partition, offset) -> List.of();
        ImageService images = new ImageService(state, nothingElse, topics, 1 << 20, 1 << 20, 2);
        server = new ConsoleServer("127.0.0.1", 0, false, state, hub, images,
                ConsoleState.JSON.createObjectNode().put("cluster", "test"), topics.qa().name()).start();
        base = server.url();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesThePageAndItsFilesWithTheirTypesAndNothingElse() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<script type=\"module\" src=\"app.js\">"));
        assertEquals("text/javascript; charset=utf-8", get("/app.js").headers().firstValue("Content-Type").orElse(""),
                "browsers run modules only with a JavaScript type");
        HttpResponse<byte[]> uplot = get("/vendor/uPlot.esm.js");
        assertEquals(200, uplot.statusCode());
        assertTrue(new String(uplot.body(), StandardCharsets.UTF_8).contains("export { uPlot as default }"));
        assertEquals(200, get("/vendor/uPlot.min.css").statusCode());
        assertEquals(200, get("/vendor/uPlot.LICENSE.txt").statusCode());
        assertEquals(404, get("/nothing.js").statusCode());
        assertEquals(404, get("/ConsoleServer.class").statusCode());
        try (Socket s = new Socket("127.0.0.1", base.getPort())) { // a raw request: clients normalise '..' away
            s.getOutputStream().write("GET /vendor/../../../../pom.xml HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(status.contains(" 404"), status);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/api/state"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void everyPageGetsASnapshotThenLiveEventsThroughItsFilterAndAStalledPageHoldsUpNobody() throws Exception {
        Page all = open("/events");
        Page counting = open("/events?type=counting");
        Page test = open("/events?split=test");
        List<Page> more = List.of(open("/events"), open("/events?type=left_right"));
        stalled("/events");
        stalled("/events?type=counting");
        for (Page p : List.of(all, counting, test)) {
            p.await("hello", 1);
            p.await("history", 1);
            p.await("stats", 1);
            p.await("evals", 1);
            p.await("frames", 1);
            p.await("cards", 1);
        }
        JsonNode snapAll = ConsoleState.JSON.readTree(all.data("cards").get(0));
        assertTrue(snapAll.path("snapshot").asBoolean());
        assertEquals(6, snapAll.path("cards").size());
        JsonNode snapCounting = ConsoleState.JSON.readTree(counting.data("cards").get(0));
        assertEquals(2, snapCounting.path("cards").size());
        snapCounting.path("cards").forEach(c -> assertEquals("counting", c.path("type").asText()));
        ConsoleState.JSON.readTree(test.data("cards").get(0)).path("cards")
                .forEach(c -> assertEquals("test", c.path("split").asText()));
        assertEquals(7, hub.size());

        // live: questions of both types arrive; a tick pushes them, each page gets its own
        for (int i = 6; i < 12; i++) {
            state.onQa(1, i, 0, question("scene-2", i, i % 2 == 0 ? "counting" : "left_right", "train", 1, 10, SIZE), true,
                    System.currentTimeMillis());
        }
        ConsoleState.Tick t = state.tick(System.currentTimeMillis());
        // a flood of stats events: more than a page's queue, which the stalled pages must absorb by dropping
        for (int i = 0; i < 3 * EventHub.QUEUE; i++) {
            hub.publish("stats", t.stats().toString());
        }
        hub.publishCards(t.cards(), 0);
        long t0 = System.nanoTime();
        HttpResponse<byte[]> stateNow = get("/api/state");
        assertEquals(200, stateNow.statusCode());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "answers while 7 pages are open, 2 of them stalled");
        JsonNode snapshot = ConsoleState.JSON.readTree(stateNow.body());
        assertEquals(7, snapshot.path("pages").asInt());
        assertEquals(12, snapshot.path("cards").size(), "the questions held, live ones included");
        assertEquals(12, snapshot.path("stats").path("totals").path("qa").asLong());
        all.await("cards", 2);
        counting.await("cards", 2);
        JsonNode liveAll = ConsoleState.JSON.readTree(all.data("cards").get(1));
        assertEquals(6, liveAll.path("cards").size());
        JsonNode liveCounting = ConsoleState.JSON.readTree(counting.data("cards").get(1));
        assertEquals(3, liveCounting.path("cards").size());
        liveCounting.path("cards").forEach(c -> assertEquals("counting", c.path("type").asText()));
        for (Page p : more) {
            p.await("cards", 2);
        }
        Thread.sleep(300);
        assertEquals(1, test.data("cards").size(), "no test-split question arrived, so none was pushed");
        JsonNode card = liveAll.path("cards").get(0);
        assertEquals("1", card.path("p").asText());
        assertEquals(FRAMES, card.path("imgs").get(0).path("topic").asText());
        assertEquals(10, card.path("imgs").get(0).path("o").asLong());
    }

    @Test
    void imagesByReferenceWithTheQuestionsMarks() throws Exception {
        Frame f = state.frame(1, 10).orElseThrow();
        HttpResponse<byte[]> plain = get("/img?topic=" + FRAMES + "&partition=1&offset=10");
        assertEquals(200, plain.statusCode());
        assertEquals("image/png", plain.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(ImageService.bytes(f), plain.body(), "a frame as stored");
        assertTrue(plain.headers().firstValue("Cache-Control").orElse("").contains("immutable"));

        HttpResponse<byte[]> marked = get("/img?topic=" + FRAMES + "&partition=1&offset=10&qa=1@2&i=0");
        assertEquals(200, marked.statusCode());
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(plain.body()));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(marked.body()));
        assertEquals(SIZE, b.getWidth());
        assertNotEquals(a.getRGB(SIZE / 2, SIZE / 2), b.getRGB(SIZE / 2, SIZE / 2), "the dot A is drawn at the centre");
        assertEquals(a.getRGB(1, 1), b.getRGB(1, 1), "and nothing in the corner");
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(get("/img?qa=1@2&i=0&w=16").body()));
        assertEquals(16, small.getWidth());
        assertEquals(16, small.getHeight());

        assertEquals(400, get("/img?topic=" + FRAMES + "&partition=1&offset=11&qa=1@2&i=0").statusCode(),
                "a frame the question does not name");
        assertEquals(404, get("/img?qa=1@2&i=1").statusCode(), "one image only");
        assertEquals(404, get("/img?qa=2@99&i=0").statusCode(), "no question there");
        assertEquals(400, get("/img?qa=one&i=0").statusCode());
        assertEquals(404, get("/img?topic=satflow.scenes.v1&partition=1&offset=10").statusCode());
        assertEquals(404, get("/img?topic=" + FRAMES + "&partition=2&offset=10").statusCode());

        HttpResponse<byte[]> qa = get("/api/qa?partition=1&offset=3");
        assertEquals(200, qa.statusCode());
        JsonNode r = ConsoleState.JSON.readTree(qa.body());
        assertEquals("scene-1/left_right/3", r.path("value").path("qaId").asText());
        assertEquals("right", r.path("value").path("correctAnswer").asText());
        assertEquals(1, r.path("value").path("correctIndex").asInt());
        assertEquals(404, get("/api/qa?partition=0&offset=3").statusCode());
        assertEquals(400, get("/api/qa?partition=0").statusCode());
    }

    @Test
    void refusesPagesPastTheLimit() throws Exception {
        for (int i = 0; i < 8; i++) {
            open("/events").await("hello", 1);
        }
        assertEquals(503, get("/events").statusCode());
        assertEquals(200, get("/api/state").statusCode(), "and still answers everything else");
    }

    /** An SSE page over a raw socket, its events collected by a reader thread. */
    private Page open(String path) throws IOException {
        Socket s = socket(path);
        Page p = new Page();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event != null) {
                        p.events.add(new String[] {event, line.substring(6)});
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "sse-page");
        t.setDaemon(true);
        t.start();
        return p;
    }

    /** A page that asks for the stream and never reads it. */
    private void stalled(String path) throws IOException {
        Socket s = socket(path);
        s.setReceiveBufferSize(1024);
    }

    private Socket socket(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", base.getPort());
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static final class Page {
        final List<String[]> events = new CopyOnWriteArrayList<>();

        List<String> data(String event) {
            return events.stream().filter(e -> e[0].equals(event)).map(e -> e[1]).toList();
        }

        void await(String event, int n) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (data(event).size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + n + " '" + event + "' events in 10 s; got "
                            + events.stream().map(e -> e[0]).toList());
                }
                Thread.sleep(20);
            }
        }
    }
}
