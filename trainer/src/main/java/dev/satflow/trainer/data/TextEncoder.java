package dev.satflow.trainer.data;

import dev.satflow.trainer.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Vocabulary-free text encoder: lower-cased word tokens hashed (64-bit FNV-1a over UTF-8) into a fixed
 * number of buckets. Id 0 is reserved for padding, so real words map to 1..buckets-1. The same text gives
 * the same ids in every JVM and on every machine, which lets a checkpoint be used without any word list.
 */
public final class TextEncoder {

    public static final long PAD = 0;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int buckets;
    private final int maxQuestionTokens;
    private final int maxChoiceTokens;

    public TextEncoder(int buckets, int maxQuestionTokens, int maxChoiceTokens) {
        if (buckets < 2 || maxQuestionTokens < 1 || maxChoiceTokens < 1) {
            throw new IllegalArgumentException("buckets >= 2 and positive max lengths required");
        }
        this.buckets = buckets;
        this.maxQuestionTokens = maxQuestionTokens;
        this.maxChoiceTokens = maxChoiceTokens;
    }

    public TextEncoder(ModelConfig config) {
        this(config.tokenBuckets(), config.maxQuestionTokens(), config.maxChoiceTokens());
    }

    public int maxQuestionTokens() {
        return maxQuestionTokens;
    }

    public int maxChoiceTokens() {
        return maxChoiceTokens;
    }

    /** Lower-cased runs of letters and digits; punctuation and whitespace separate words. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            boolean wordChar = Character.isLetterOrDigit(cp);
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                out.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(lower.substring(start));
        }
        return out;
    }

    /**
     * Spelling variants and synonyms read as one word. A hashed vocabulary learns each word only from the
     * questions it occurs in, and a word no training question uses gets an untrained vector: a question phrased
     * with "nearer" where training said "closer" was answered as if it said the opposite. A pretrained text
     * encoder knows such words; this small model is told them. General English, not satflow's templates:
     * comparatives of distance and height, British and American spellings, picture and middle words.
     */
    static final Map<String, String> SAME_WORD = Map.ofEntries(
            Map.entry("nearer", "closer"), Map.entry("nearest", "closest"),
            Map.entry("farther", "further"), Map.entry("farthest", "furthest"), Map.entry("far", "further"),
            Map.entry("center", "centre"), Map.entry("centers", "centres"), Map.entry("middle", "centre"),
            Map.entry("centerpoint", "centre"), Map.entry("midpoint", "centre"),
            Map.entry("taller", "higher"), Map.entry("tallest", "highest"),
            Map.entry("photo", "image"), Map.entry("picture", "image"), Map.entry("photograph", "image"),
            Map.entry("pictures", "images"), Map.entry("photos", "images"),
            Map.entry("rotate", "turn"), Map.entry("rotated", "turned"),
            Map.entry("moved", "move"), Map.entry("moves", "move"), Map.entry("moving", "move"));

    /** Id of one (already lower-cased) word, in 1..buckets-1; variants in {@link #SAME_WORD} share an id. */
    public long tokenId(String word) {
        word = SAME_WORD.getOrDefault(word, word);
        long h = FNV_OFFSET;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return 1 + Long.remainderUnsigned(h, buckets - 1);
    }

    /**
     * Writes exactly {@code maxLen} ids for {@code text} into {@code dst} from {@code offset}:
     * the first {@code maxLen} words, then {@link #PAD} up to the end.
     */
    public void encode(String text, int maxLen, long[] dst, int offset) {
        List<String> words = words(text == null ? "" : text);
        int n = Math.min(words.size(), maxLen);
        for (int i = 0; i < n; i++) {
            dst[offset + i] = tokenId(words.get(i));
        }
        for (int i = n; i < maxLen; i++) {
            dst[offset + i] = PAD;
        }
    }

    public long[] encodeQuestion(String question) {
        long[] ids = new long[maxQuestionTokens];
        encode(question, maxQuestionTokens, ids, 0);
        return ids;
    }

    public long[] encodeChoice(String choice) {
        long[] ids = new long[maxChoiceTokens];
        encode(choice, maxChoiceTokens, ids, 0);
        return ids;
    }
}
