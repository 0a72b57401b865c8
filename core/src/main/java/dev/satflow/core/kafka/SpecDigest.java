package dev.satflow.core.kafka;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two published scene specs "the same": SHA-256 of the record's Avro body (the bytes after
 * the Confluent wire-format header, so the same content under the same schema gives the same digest),
 * first 128 bits in hex. The renderer and the QA processor use it to recognise a scene published again.
 */
public final class SpecDigest {
    private SpecDigest() {}

    public static String of(byte[] value) {
        int from = value.length >= 5 && value[0] == 0 ? 5 : 0;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(value, from, value.length - from);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
