package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.RegistryException;
import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.embedded.SaslSslListener;
import dev.satflow.ops.faults.Faults;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secured stack: the broker's client listener takes only TLS (a certificate signed by a CA this
 * test makes with keytool) with SASL/SCRAM-SHA-512, and the registry requires HTTP basic auth. generate, render and
 * qa run as CLI processes given only {@code --client-config} (the Kafka client properties file) and
 * {@code registry.user-info}; questions must arrive on the QA topic. Then the refusals that show security is really
 * on: a wrong SCRAM password, a client that does not trust the CA, and a registry call without credentials.
 */
class SecureClusterIT {
    private static final int SCENES = 4;
    private static final String USER = "satflow";
    private static final String PASSWORD = "scram-secret";
    private static final String REGISTRY_USER_INFO = "registry:registry-secret";
    private static final String STORE_PASSWORD = "store-secret";

    @TempDir
    Path dir;

    @Test
    void pipelineRunsOverSaslSslWithAnAuthenticatedRegistryAndRefusesBadCredentials() throws Exception {
        long t0 = System.nanoTime();
        Tls tls = Tls.make(dir.resolve("tls"), STORE_PASSWORD);
        long tlsMs = (System.nanoTime() - t0) / 1_000_000;
        SaslSslListener listener = new SaslSslListener(0, tls.keyStore(), STORE_PASSWORD, Map.of(USER, PASSWORD));
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 3)
                .secured(listener, REGISTRY_USER_INFO))) {
            String secure = stack.saslSslBootstrapServers();
            Map<String, Object> client = clientConfig(tls, PASSWORD);
            Path clientFile = write(dir.resolve("client.properties"), client);
            Path settings = write(dir.resolve("satflow.properties"), Map.of("registry.user-info", REGISTRY_USER_INFO,
                    "render.width", "128", "render.height", "128"));
            String[] connect = {"--config", settings.toString(), "--bootstrap", secure, "--registry",
                stack.registryUrl(), "--client-config", clientFile.toString(), "--data-dir",
                dir.resolve("cli").toString()};

            // generate and render side by side (their JVM starts overlap), then qa until it has caught up
            Path generateLog = dir.resolve("generate.log");
            Path renderLog = dir.resolve("render.log");
            Path qaLog = dir.resolve("qa.log");
            Process generate = Faults.satflow(generateLog, concat(connect, "generate", "--scenes", "" + SCENES));
            Process render = Faults.satflow(renderLog, concat(connect, "render", "--max-scenes", "" + SCENES));
            try {
                assertExits(generate, generateLog, 90);
                assertExits(render, renderLog, 120);
                Process qa = Faults.satflow(qaLog, concat(connect, "qa", "--until-idle"));
                try {
                    assertExits(qa, qaLog, 120);
                } finally {
                    Faults.stopQuietly(qa);
                }
            } finally {
                Faults.stopQuietly(generate);
                Faults.stopQuietly(render);
            }
            long pipelineMs = (System.nanoTime() - t0) / 1_000_000;

            // the questions, read back over the SASL_SSL listener with the same client properties
            Set<String> scenes = new TreeSet<>();
            long[] questions = {0};
            KafkaClients.use(client);
            try {
                TopicScan.scan(secure, stack.topics().qa(), e -> {
                    QaRecord q = e.value();
                    assertTrue(q != null && !q.getQuestion().isEmpty(), "a decodable question at offset " + e.offset());
                    scenes.add(q.getSceneId());
                    questions[0]++;
                    return true;
                });
            } finally {
                KafkaClients.use(Map.of()); // process-wide: leave none behind for other tests in this JVM
            }
            assertEquals(SCENES, scenes.size(), questions[0] + " questions, from scenes " + scenes);

            // refusals: security is on, not merely configured
            ExecutionException wrongPassword = assertThrows(ExecutionException.class,
                    () -> describeCluster(secure, clientConfig(tls, "not-the-password")));
            assertInstanceOf(SaslAuthenticationException.class, wrongPassword.getCause(), "wrong SCRAM password");
            Map<String, Object> untrusting = new HashMap<>(client);
            untrusting.keySet().removeIf(k -> k.startsWith("ssl.truststore."));
            ExecutionException untrusted = assertThrows(ExecutionException.class,
                    () -> describeCluster(secure, untrusting));
            assertInstanceOf(SslAuthenticationException.class, untrusted.getCause(),
                    "TLS: a client that does not trust the test CA");
            assertEquals(1, describeCluster(secure, client), "the right credentials get in");

            RegistryException anonymous = assertThrows(RegistryException.class,
                    () -> new SchemaRegistryClient(stack.registryUrl()).subjects());
            assertEquals(401, anonymous.status(), anonymous.getMessage());
            assertTrue(new SchemaRegistryClient(stack.registryUrl(), REGISTRY_USER_INFO).subjects().size() >= 3,
                    "with the credentials the registry answers");

            System.out.printf("SecureClusterIT: %d questions from %d scenes over SASL_SSL/SCRAM-SHA-512 with registry "
                    + "basic auth; keystores %d ms, pipeline done at %d ms, total %.1f s%n", questions[0], scenes.size(),
                    tlsMs, pipelineMs, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The client properties a user of the secured cluster writes (the README's example). */
    private static Map<String, Object> clientConfig(Tls tls, String password) {
        Map<String, Object> c = new HashMap<>();
        c.put("security.protocol", "SASL_SSL");
        c.put("sasl.mechanism", "SCRAM-SHA-512");
        c.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        c.put("ssl.truststore.location", tls.trustStore().toString());
        c.put("ssl.truststore.password", STORE_PASSWORD);
        c.put("ssl.truststore.type", "PKCS12");
        return c;
    }

    /** Brokers the cluster lists to a client of this config; the failure's cause when it is refused. */
    private static int describeCluster(String bootstrap, Map<String, Object> config) throws Exception {
        Map<String, Object> a = new HashMap<>(config);
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "secure-it-probe");
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(a)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        }
    }

    private static void assertExits(Process p, Path log, int seconds) throws Exception {
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "still running after " + seconds + " s:\n" + Faults.tail(log));
        assertEquals(0, p.exitValue(), "exit status; log:\n" + Faults.tail(log));
    }

    private static String[] concat(String[] connect, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(connect));
        return all.toArray(String[]::new);
    }

    private static Path write(Path file, Map<String, ?> properties) throws IOException {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(properties).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return Files.writeString(file, b.toString());
    }

    /**
     * A test CA, the broker's key with a certificate the CA signed for 127.0.0.1 and localhost, and a trust store
     * holding the CA: made with the JDK's keytool, PKCS12 throughout.
     */
    record Tls(Path keyStore, Path trustStore) {
        static Tls make(Path dir, String password) throws Exception {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.p12");
            Path broker = dir.resolve("broker.p12");
            Path trust = dir.resolve("truststore.p12");
            String caCert = dir.resolve("ca.crt").toString();
            String csr = dir.resolve("broker.csr").toString();
            String signed = dir.resolve("broker.crt").toString();
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=satflow test CA", "-ext", "bc:c", "-keystore", ca.toString(),
                    "-storepass", password);
            keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-keystore", broker.toString(), "-storepass", password);
            keytool(dir, "-certreq", "-alias", "broker", "-keystore", broker.toString(), "-storepass", password,
                    "-file", csr);
            keytool(dir, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-infile", csr,
                    "-outfile", signed, "-rfc", "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-ext", "EKU=serverAuth");
            keytool(dir, "-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-rfc",
                    "-file", caCert);
            // the CA first, so keytool can chain the signed certificate to it when it replaces the self-signed one
            keytool(dir, "-importcert", "-alias", "ca", "-file", caCert, "-keystore", broker.toString(),
                    "-storepass", password, "-noprompt");
            keytool(dir, "-importcert", "-alias", "broker", "-file", signed, "-keystore", broker.toString(),
                    "-storepass", password, "-noprompt");
            keytool(dir, "-importcert", "-alias", "ca", "-file", caCert, "-keystore", trust.toString(),
                    "-storepass", password, "-noprompt");
            return new Tls(broker, trust);
        }

        private static void keytool(Path dir, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // eight short JVMs: start them fast
            cmd.addAll(List.of(args));
            Path out = dir.resolve("keytool.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool " + args[0] + " hangs");
            assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ":\n" + Files.readString(out));
        }
    }
}
