package dev.satflow.evaluator.blind;

/**
 * Seeded feature hashing: strings hash to 64-bit keys, and a feature is a tag (its template, e.g.
 * "question unigram × option") with up to three keys, hashed into a table of {@code 2^bits} weights.
 * Pure function of (seed, bits, input): the same seed always gives the same ids.
 */
public final class FeatureHasher {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private final long seed;
    private final int bits;
    private final int mask;

    public FeatureHasher(long seed, int bits) {
        if (bits < 4 || bits > 28) {
            throw new IllegalArgumentException("bits = " + bits + ": must be in 4..28");
        }
        this.seed = fmix(seed ^ 0x5A7F10B1L);
        this.bits = bits;
        this.mask = (1 << bits) - 1;
    }

    public int bits() {
        return bits;
    }

    /** Number of weights: {@code 2^bits}. */
    public int size() {
        return mask + 1;
    }

    /** A 64-bit key for a string (FNV-1a over UTF-16 units, then mixed with the seed). */
    public long key(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return fmix(h ^ seed);
    }

    /** A key for an integer (an option position, a count of choices). */
    public long key(long v) {
        return fmix(v * K1 + seed + 0x1234567L);
    }

    /** Combines two keys into one ordered key (for n-grams and tuples). */
    public static long combine(long a, long b) {
        return fmix(Long.rotateLeft(a, 29) * K2 ^ b + K1);
    }

    public int id(int tag, long a) {
        return (int) (combine(start(tag), a) & mask);
    }

    public int id(int tag, long a, long b) {
        return (int) (combine(combine(start(tag), a), b) & mask);
    }

    public int id(int tag, long a, long b, long c) {
        return (int) (combine(combine(combine(start(tag), a), b), c) & mask);
    }

    /** The hash state of (tag, a), to finish with {@link #id(long, long)}: for a tag crossed in a loop. */
    public long prefix(int tag, long a) {
        return combine(start(tag), a);
    }

    /** {@code id(tag, a, b)} from {@code prefix(tag, a)}. */
    public int id(long prefix, long b) {
        return (int) (combine(prefix, b) & mask);
    }

    private long start(int tag) {
        return fmix(seed + K1 * (tag + 1L));
    }

    /** MurmurHash3's 64-bit finaliser. */
    static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
