package dev.satflow.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A client listener that takes TLS and SASL/SCRAM-SHA-512 only, beside the embedded broker's PLAINTEXT one (which
 * stays for the broker's own loopback traffic: controller, the registry's log, probes). The SCRAM users are created
 * through that internal listener when the broker starts ({@link EmbeddedKafka}); KRaft keeps them in its metadata log.
 *
 * @param port          loopback port; 0 = a free one
 * @param keyStore      the broker's key and certificate chain, PKCS12 (its certificate must name 127.0.0.1 or
 *                      localhost, whichever clients connect to: they check the host name)
 * @param keyStorePassword of the store and of the key in it
 * @param users         SCRAM-SHA-512 user name to password
 */
public record SaslSslListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users) {
    public static final String NAME = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SaslSslListener {
        users = Map.copyOf(users);
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL_SSL listener needs at least one SCRAM user");
        }
    }

    SaslSslListener withPort(int p) {
        return new SaslSslListener(p, keyStore, keyStorePassword, users);
    }

    /** The broker settings of this listener, under its listener.name prefix so no other listener is affected. */
    void addTo(Properties p) {
        String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
        p.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        p.put(prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", keyStore.toAbsolutePath().toString());
        p.put(prefix + "ssl.keystore.password", keyStorePassword);
        p.put(prefix + "ssl.key.password", keyStorePassword);
    }

    @Override
    public String toString() { // no passwords in logs
        return "SaslSslListener[port=" + port + ", keyStore=" + keyStore + ", users=" + users.keySet() + "]";
    }
}
