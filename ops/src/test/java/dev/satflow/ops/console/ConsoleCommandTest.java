package dev.satflow.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.config.SatflowSettings;
import dev.satflow.ops.Satflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code satflow console}'s settings: its port and Kafka client properties come through the config
 * layers, and bad ones are usage errors (exit 2) before anything starts. The cluster named here does
 * not exist: every case fails before a client connects.
 */
class ConsoleCommandTest {
    private static final String[] NOWHERE = {"--bootstrap", "127.0.0.1:9", "--registry", "http://127.0.0.1:9"};

    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private static Run console(String... args) {
        CommandLine cl = Satflow.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "console";
            System.arraycopy(args, 0, all, 1, args.length);
            code = cl.execute(all);
        } finally {
            System.setOut(saved);
        }
        return new Run(code, err.toString());
    }

    @Test
    void clientPropertiesComeFromTheFileTheSettingNames() throws Exception {
        Path props = dir.resolve("client.properties");
        Files.writeString(props, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
        Path config = dir.resolve("satflow.properties");
        Files.writeString(config, "console.client-config=" + props + "\n");
        Map<String, Object> client = ConsoleCommand.clientProperties(SatflowSettings.load(config, Map.of()));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), client);
        assertEquals(Map.of(), ConsoleCommand.clientProperties(SatflowSettings.load(null, Map.of())), "none by default");

        // kafka.client-config, the setting every command shares, wins over the console's older name
        Path shared = dir.resolve("shared.properties");
        Files.writeString(shared, "security.protocol=SSL\n");
        assertEquals(Map.of("security.protocol", "SSL"), ConsoleCommand.clientProperties(
                SatflowSettings.load(config, Map.of("kafka.client-config", shared))));
    }

    @Test
    void badSettingsAreUsageErrors() throws Exception {
        Run port = console("--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("console.port") && port.err().contains("70000"), port.err());

        Run missing = console("--client-config", dir.resolve("absent.properties").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("kafka.client-config") && missing.err().contains("absent.properties"),
                missing.err());

        // the properties reach the console's Kafka clients, which refuse SASL without a JAAS login
        Path props = dir.resolve("sasl.properties");
        Files.writeString(props, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
        String[] args = {NOWHERE[0], NOWHERE[1], NOWHERE[2], NOWHERE[3], "--port", "0", "--client-config", props.toString()};
        Run sasl = console(args);
        assertEquals(2, sasl.code(), sasl.err());
        assertTrue(sasl.err().contains("the console's Kafka client settings") && sasl.err().contains("JAAS"), sasl.err());
    }
}
