package dev.satflow.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.Satflow;
import dev.satflow.schema.QaRecord;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser during a small demo run ({@code satflow demo --console}): headless
 * Chromium loads the page while the pipeline runs, waits for live question cards and a moving
 * throughput figure, filters by a question type and checks that only that type shows, opens a card
 * and checks the question, choices and answer shown against the record read from the QA topic with
 * a consumer of its own, then waits for the run to end and the accuracy curves of its checkpoints
 * to show. Screenshots go to {@code target/console-browser/}. Skipped without Chromium, failed
 * without it when {@code CI} is set.
 */
class ConsoleBrowserIT {
    static final Path SHOTS = Path.of("target", "console-browser");
    private static final int WIDTH = 1440;
    private static final Pattern CONSOLE = Pattern.compile("console: (http://\\S+)");
    private static final Pattern CLUSTER = Pattern.compile("cluster: (\\S+) \\(embedded\\), registry (\\S+)");

    @TempDir
    Path dir;

    @Test
    void followsASmallDemoLiveFiltersAndShowsTheRecordsAnswer() throws Exception {
        Chromium.require();
        Path config = dir.resolve("demo.properties");
        // small frames and three partitions keep the run short; enough scenes that questions keep coming for a while
        Files.writeString(config, String.join("\n", "render.width=256", "render.height=256",
                "generate.test-fraction=0.3", "generate.val-fraction=0", "train.batch=16", "train.buffer=32",
                "partitions=3", ""));
        Output output = new Output(System.out);
        PrintStream saved = System.out;
        AtomicInteger exit = new AtomicInteger(-1);
        Thread demo = new Thread(() -> exit.set(Satflow.commandLine().execute("demo", "--config", config.toString(),
                "--scenes", "60", "--steps", "20", "--checkpoint-every", "10", "--out", dir.resolve("demo").toString(),
                "--console", "--console-port", "0")), "console-it-demo");
        long t0 = System.nanoTime();
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try (Chromium browser = Chromium.start(WIDTH, 1000)) { // the browser starts while the demo's stack comes up
            demo.start();
            String url = output.await(CONSOLE, Duration.ofMinutes(2)).group(1);
            Matcher cluster = output.await(CLUSTER, Duration.ofSeconds(5));
            log("console at %s after %.1f s", url, since(t0));
            browser.driver.get(url);
            var wait = browser.waiting(Duration.ofSeconds(90));
            wait.until(d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
            log("page live after %.1f s", since(t0));

            // live cards, and a throughput figure that moves while they come
            Set<String> seen = new LinkedHashSet<>();
            wait.until(d -> {
                seen.add(d.findElement(By.id("tp-qa")).getDomAttribute("data-value") + "/"
                        + d.findElement(By.id("tp-frames")).getDomAttribute("data-value"));
                return Integer.parseInt(d.findElement(By.id("cards")).getDomAttribute("data-live")) >= 5;
            });
            log("%s live cards after %.1f s", browser.driver.findElement(By.id("cards")).getDomAttribute("data-live"),
                    since(t0));
            wait.until(d -> {
                seen.add(d.findElement(By.id("tp-qa")).getDomAttribute("data-value") + "/"
                        + d.findElement(By.id("tp-frames")).getDomAttribute("data-value"));
                return seen.size() >= 3 && seen.stream().anyMatch(v -> !v.equals("0/0"));
            });
            log("throughput moved through %s after %.1f s", seen, since(t0));
            assertTrue(Integer.parseInt(browser.driver.findElement(By.id("tp-chart")).getDomAttribute("data-points")) > 1,
                    "the throughput chart has points");

            // filter by the most common type on the page: only that type shows
            Map<String, Integer> types = new HashMap<>();
            @SuppressWarnings("unchecked")
            List<String> onPage = (List<String>) browser.driver.executeScript(
                    "return [...document.querySelectorAll('#cards .card')].map(c => c.dataset.type)");
            onPage.forEach(t -> types.merge(t, 1, Integer::sum));
            String type = types.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            new Select(browser.driver.findElement(By.id("f-type"))).selectByValue(type);
            wait.until(d -> {
                List<WebElement> cards = d.findElements(By.cssSelector("#cards .card"));
                return !cards.isEmpty() && cards.stream().allMatch(c -> type.equals(c.getDomAttribute("data-type")));
            });
            Thread.sleep(1500); // another second of live cards through the filter
            @SuppressWarnings("unchecked")
            List<String> shown = (List<String>) browser.driver.executeScript("return [...document.querySelectorAll("
                    + "'#cards .card')].map(c => c.dataset.type + '|' + c.querySelector('.type').textContent)");
            assertFalse(shown.isEmpty());
            for (String s : shown) {
                assertEquals(type + "|" + type, s, "only " + type + " after filtering");
            }
            log("filtered to %s: %d cards after %.1f s", type, shown.size(), since(t0));

            // pause, open a card: the page shows what the record holds
            browser.driver.findElement(By.id("pause-btn")).click();
            wait.until(d -> "true".equals(d.findElement(By.id("pause-btn")).getDomAttribute("data-paused")));
            WebElement card = browser.driver.findElements(By.cssSelector("#cards .card")).get(0);
            int partition = Integer.parseInt(card.getDomAttribute("data-p"));
            long offset = Long.parseLong(card.getDomAttribute("data-o"));
            String qaId = card.getDomAttribute("data-qa-id");
            String cardAnswer = card.findElement(By.cssSelector(".answer")).getText();
            card.click();
            wait.until(d -> qaId.equals(d.findElement(By.id("detail")).getDomAttribute("data-qa-id"))
                    && d.findElement(By.id("detail")).getDomAttribute("data-loading") == null);
            QaRecord record = read(cluster.group(1), cluster.group(2), partition, offset);
            WebElement detail = browser.driver.findElement(By.id("detail"));
            assertEquals(record.getQaId(), qaId);
            assertEquals(type, record.getQuestionType());
            assertEquals(record.getCorrectAnswer(), detail.findElement(By.cssSelector(".answer")).getText());
            assertEquals(record.getCorrectAnswer(), cardAnswer, "the card's answer");
            assertEquals(record.getQuestion(), detail.findElement(By.cssSelector(".question")).getText());
            List<WebElement> choices = detail.findElements(By.cssSelector("ol li"));
            assertEquals(record.getChoices().size(), choices.size());
            for (int i = 0; i < choices.size(); i++) {
                assertEquals(record.getChoices().get(i), choices.get(i).getText().replace(" ✓", ""));
                assertEquals(i == record.getCorrectIndex(), choices.get(i).getDomAttribute("class") != null
                        && choices.get(i).getDomAttribute("class").contains("right"), "choice " + i + " marked right");
            }
            int images = Math.max(record.getFrames().size(), record.getImages().size());
            wait.until(d -> {
                List<WebElement> imgs = d.findElements(By.cssSelector("#detail .imgs img"));
                return imgs.size() == images && imgs.stream().allMatch(i -> Boolean.TRUE.equals(((org.openqa.selenium
                        .JavascriptExecutor) d).executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0",
                        i)));
            });
            log("card %s (%d@%d) matches the record: answer '%s' after %.1f s", qaId, partition, offset,
                    record.getCorrectAnswer(), since(t0));
            check(browser.fullPage(SHOTS.resolve("console-live.png"), WIDTH));

            // the run ends: the checkpoints' accuracy curves show, with every type back in the stream
            browser.driver.findElement(By.id("pause-btn")).click();
            new Select(browser.driver.findElement(By.id("f-type"))).selectByValue("");
            browser.viewport(WIDTH, 1000);
            output.await(Pattern.compile("console: still serving"), Duration.ofMinutes(5));
            log("demo run done after %.1f s", since(t0));
            var end = browser.waiting(Duration.ofSeconds(30));
            end.until(d -> Integer.parseInt(d.findElement(By.id("acc")).getDomAttribute("data-checkpoints")) >= 2);
            end.until(d -> !d.findElements(By.cssSelector(".acc-chart[data-type=all][data-points='2']")).isEmpty());
            end.until(d -> !d.findElements(By.cssSelector("#frames .frame:not([data-boxes='0'])")).isEmpty());
            end.until(d -> !d.findElement(By.id("train-step")).getText().equals("–"));
            assertEquals("20", browser.driver.findElement(By.id("train-step")).getText(), "the last checkpoint's step");
            Thread.sleep(1000); // images in flight
            check(browser.fullPage(SHOTS.resolve("console-final.png"), WIDTH));
            log("accuracy curves shown; screenshots in %s after %.1f s", SHOTS.toAbsolutePath(), since(t0));
        } finally {
            demo.interrupt(); // ends --console's serving (or a failed run)
            demo.join(Duration.ofMinutes(1).toMillis());
            System.setOut(saved);
        }
        assertEquals(0, exit.get(), "demo exit code");
    }

    /** The question at these coordinates, read with a consumer of the test's own. */
    private static QaRecord read(String bootstrap, String registry, int partition, long offset) {
        Topics topics = Topics.create(new SchemaRegistryClient(registry), 3, false);
        TopicPartition tp = new TopicPartition(topics.qa().name(), partition);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null,
                "console-it-check"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    }
                }
            }
        }
        throw new AssertionError("no record at " + tp + "@" + offset);
    }

    /** A real picture: the page's size, many colours (images, charts), the header's dark bar on top. */
    private static void check(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(WIDTH, img.getWidth());
        assertTrue(img.getHeight() >= 1000, "height " + img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 500, colours.size() + " colours");
        assertEquals(0x1c2024, img.getRGB(5, 5) & 0xffffff, "header colour");
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[console-it] " + format + "%n", args);
    }

    /** What the demo prints: kept for the test to wait on, and passed through. */
    private static final class Output extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final PrintStream through;

        Output(PrintStream through) {
            this.through = through;
        }

        @Override
        public synchronized void write(int b) {
            kept.write(b);
            through.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            kept.write(b, off, len);
            through.write(b, off, len);
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        Matcher await(Pattern p, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = p.matcher(text());
                if (m.find()) {
                    return m;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no '" + p + "' in " + timeout.toSeconds() + " s; the demo printed:\n" + text());
        }
    }
}
