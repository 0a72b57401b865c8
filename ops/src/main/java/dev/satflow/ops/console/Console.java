package dev.satflow.ops.console;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.qa.questions.QuestionTypes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;

/**
 * The live console: a feed that follows every topic into bounded memory, a probe of the stages'
 * consumer lag, a ticker that pushes what changed to the open pages once a second, and the HTTP
 * server. Started by {@code satflow console} and by the demo.
 */
public final class Console implements AutoCloseable {
    /** The consumer groups whose lag the console shows, one per consuming stage. */
    public record Groups(String render, String qa, String train, String eval) {
        public static Groups of(Config c) {
            return new Groups(c.string("render.group"), c.string("qa.application-id"), c.string("train.group"),
                    c.string("eval.group"));
        }
    }

    /**
     * Where to read and where to serve ({@link KafkaClients} adds the process's security settings to every
     * client); {@code portFallback}: take any free port when {@code port} is in use.
     */
    public record Settings(String bootstrap, Topics topics, Groups groups, String bind, int port,
            boolean portFallback, String clusterLabel) {}

    private static final long TICK_MS = 1_000;
    /** Open pages served at once (each holds one thread and one event queue). */
    private static final int MAX_PAGES = 64;
    /** Painted and scaled images kept for repeat requests, and frames read back from the topic. */
    private static final long IMAGE_CACHE_BYTES = 48L << 20;
    private static final long FRAME_CACHE_BYTES = 64L << 20;
    /** Images made at once: the rest wait, so many pages cannot take the pipeline's cores. */
    private static final int IMAGES_AT_ONCE = 2;

    private final ConsoleState state = new ConsoleState();
    private final ConsoleFeed feed;
    private final LagProbe probe;
    private final RecordReader reader;
    private final EventHub hub;
    private final ConsoleServer server;
    private final Thread ticker;
    private volatile boolean stop;

    private Console(Settings s) {
        Topics t = s.topics();
        Map<String, Object> consumer = KafkaClients.consumer(s.bootstrap(), null, "satflow-console-feed");
        Map<String, Object> reads = KafkaClients.consumer(s.bootstrap(), null, "satflow-console-reads");
        Map<String, Object> admin = KafkaClients.admin(s.bootstrap(), "satflow-console-lag");
        List<LagProbe.Stage> stages = List.of(
                new LagProbe.Stage("render", s.groups().render(), List.of(t.scenes().name())),
                new LagProbe.Stage("qa", s.groups().qa(), List.of(t.scenes().name(), t.frames().name())),
                new LagProbe.Stage("train", s.groups().train(), List.of(t.qa().name())),
                new LagProbe.Stage("evaluate", s.groups().eval(), List.of(t.checkpoints().name())));
        List<String> topicNames = new ArrayList<>();
        t.all().forEach(x -> topicNames.add(x.name()));
        this.hub = new EventHub(MAX_PAGES, t.qa().name());
        // Kafka clients first: a bad client config (say a wrong sasl.jaas.config) fails here, before the port is bound
        this.reader = new RecordReader(reads);
        try {
            this.probe = new LagProbe(admin, stages, topicNames, state::lag, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        ImageService images = new ImageService(state, reader, t, IMAGE_CACHE_BYTES, FRAME_CACHE_BYTES, IMAGES_AT_ONCE);
        try {
            this.server = new ConsoleServer(s.bind(), s.port(), s.portFallback(), state, hub, images, hello(s, stages),
                    t.qa().name());
        } catch (RuntimeException e) {
            probe.close();
            reader.close();
            throw e;
        }
        this.feed = new ConsoleFeed(consumer, t, state, System::currentTimeMillis);
        this.ticker = new Thread(this::tick, "satflow-console-ticker");
        this.ticker.setDaemon(true);
    }

    /**
     * Starts reading and serving; the page is at {@link #url()}. Kafka client settings the clients
     * refuse (say security.protocol=SASL_SSL without a sasl.jaas.config) fail as a usage error.
     */
    public static Console start(Settings s) {
        Console c;
        try {
            c = new Console(s);
        } catch (KafkaException e) {
            throw new ConfigException("the console's Kafka client settings: " + rootMessage(e));
        }
        try {
            c.feed.start();
            c.probe.start();
            c.server.start();
            c.ticker.start();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    public URI url() {
        return server.url();
    }

    private void tick() {
        while (!stop) {
            try {
                Thread.sleep(TICK_MS - System.currentTimeMillis() % TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            ConsoleState.Tick t = state.tick(System.currentTimeMillis());
            hub.publish("stats", t.stats().toString());
            hub.publishCards(t.cards(), t.cardsDropped());
            if (!t.frames().isEmpty()) {
                ObjectNode o = ConsoleState.JSON.createObjectNode();
                ArrayNode a = o.putArray("frames");
                t.frames().forEach(a::add);
                hub.publish("frames", o.toString());
            }
            if (!t.evals().isEmpty()) {
                ObjectNode o = ConsoleState.JSON.createObjectNode();
                ArrayNode a = o.putArray("reports");
                t.evals().forEach(a::add);
                hub.publish("evals", o.toString());
            }
        }
    }

    private static ObjectNode hello(Settings s, List<LagProbe.Stage> stages) {
        ObjectNode o = ConsoleState.JSON.createObjectNode();
        o.put("cluster", s.clusterLabel());
        ObjectNode topics = o.putObject("topics");
        topics.put("scenes", s.topics().scenes().name());
        topics.put("frames", s.topics().frames().name());
        topics.put("qa", s.topics().qa().name());
        topics.put("checkpoints", s.topics().checkpoints().name());
        topics.put("eval", s.topics().eval().name());
        topics.put("dlq", s.topics().dlq().name());
        ArrayNode types = o.putArray("types");
        QuestionTypes.STATIC.forEach(types::add);
        QuestionTypes.DYNAMIC.forEach(types::add);
        ArrayNode splits = o.putArray("splits");
        List.of("train", "val", "test").forEach(splits::add);
        ArrayNode groups = o.putArray("groups");
        for (LagProbe.Stage st : stages) {
            groups.addObject().put("stage", st.stage()).put("group", st.group()).put("inputs",
                    String.join(", ", st.inputs()));
        }
        return o;
    }

    @Override
    public void close() {
        stop = true;
        ticker.interrupt();
        try {
            server.close();
        } catch (RuntimeException e) {
            // never started
        }
        probe.close();
        feed.close();
        reader.close();
    }
}
