package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's contract: exit codes 0/1/2, errors that name the key, and cluster-free generation. */
class CliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Satflow.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("generate", "--no-such-flag").code());
        assertEquals(2, run("no-such-command").code());
    }

    @Test
    void onlyUsageErrorsExitWith2BadDataMetWhileRunningExitsWith1() {
        assertEquals(2, Satflow.exitCode(new dev.satflow.core.config.ConfigException("--limit = -1: expected >= 0")));
        // what a decoder throws for a broken record is a failure of the run, not a mistake in the command
        assertEquals(1, Satflow.exitCode(new IllegalArgumentException("not a readable PNG")));
        assertEquals(1, Satflow.exitCode(new IllegalStateException("broker gone")));
        Run range = run("tap", "satflow.qa.v2", "--max", "0");
        assertEquals(2, range.code(), range.err());
        assertTrue(range.err().contains("--max 0"), range.err());
    }

    @Test
    void upRefusesAClusterSizeItsDataFolderDoesNotHold() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("data/cluster"));
        Files.writeString(cluster.resolve("cluster.properties"), "cluster.id=x\nnodes=1,2\nnode.1.port=1\n"
                + "node.1.controller-port=2\nnode.2.port=3\nnode.2.controller-port=4\n");
        Run up = run("up", "--brokers", "3", "--data-dir", dir.resolve("data").toString());
        assertEquals(2, up.code(), up.err());
        assertTrue(up.err().contains("holds a cluster of 2 brokers"), up.err());
        assertEquals(2, run("up", "--brokers", "0", "--data-dir", dir.resolve("data").toString()).code());
    }

    @Test
    void everyStageTakesClientConfigAndAnUnreadableOneFailsBeforeConnecting() {
        // the cluster named here does not exist: each stage must stop at the file, naming the setting
        String absent = dir.resolve("absent.properties").toString();
        for (String stage : List.of("generate", "render", "qa", "train", "evaluate")) {
            Run r = run(stage, "--bootstrap", "127.0.0.1:9", "--registry", "http://127.0.0.1:9", "--client-config",
                    absent, "--data-dir", dir.resolve("data").toString());
            assertEquals(2, r.code(), stage + ": " + r.err());
            assertTrue(r.err().contains("kafka.client-config") && r.err().contains("flag --client-config")
                    && r.err().contains("absent.properties"), stage + ": " + r.err());
        }
    }

    @Test
    void badSettingsNameTheKeyAndExitWith2() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "render.widht=512\n");
        Run typo = run("generate", "--stdout", "--scenes", "1", "--config", file.toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("unknown setting 'render.widht'"), typo.err());

        Run range = run("generate", "--stdout", "--scenes", "1", "--fov", "500");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("generate.fov") && range.err().contains("500"), range.err());
    }

    @Test
    void generateStdoutPrintsOneJsonSpecPerLineDeterministically() throws Exception {
        Run a = run("generate", "--stdout", "--scenes", "3", "--seed", "7");
        Run b = run("generate", "--stdout", "--scenes", "3", "--seed", "7");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out(), "same seeds, same specs");
        List<String> lines = a.out().lines().toList();
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode spec = json.readTree(lines.get(i));
            assertEquals(7 + i, spec.get("seed").asLong());
            assertEquals("scene-" + (7 + i), spec.get("sceneId").asText());
            assertTrue(spec.get("objects").size() >= 5);
            spec.get("objects").forEach(o -> assertTrue(!o.get("category").asText().isEmpty()));
        }
    }
}
