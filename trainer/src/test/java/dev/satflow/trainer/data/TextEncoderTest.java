package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

    private final TextEncoder encoder = new TextEncoder(4096, 6, 3);

    @Test
    void splitsOnPunctuationAndLowerCases() {
        assertEquals(List.of("is", "the", "red", "square", "left", "of", "it", "s", "3rd", "café"),
                TextEncoder.words("Is the RED square, left of it's 3rd  café?"));
        assertEquals(List.of(), TextEncoder.words("  ?! "));
    }

    @Test
    void sameTextGivesSameIdsAcrossInstancesAndCase() {
        TextEncoder other = new TextEncoder(4096, 6, 3);
        assertArrayEquals(encoder.encodeQuestion("Is the chair left of the table?"),
                other.encodeQuestion("is THE chair, left of the table"));
        assertNotEquals(encoder.tokenId("left"), encoder.tokenId("right"));
    }

    @Test
    void idsAreStableAcrossReleases() {
        // Checkpoints depend on these exact ids: changing the hash silently scrambles every trained embedding.
        assertEquals(1618L, encoder.tokenId("left")); // 1 + FNV-1a-64("left") mod 4095
        assertEquals(3585L, encoder.tokenId("right"));
    }

    @Test
    void idsStayInsideBucketsAndNeverUsePad() {
        TextEncoder tiny = new TextEncoder(3, 4, 4);
        for (String w : List.of("a", "b", "c", "d", "e", "left", "right", "0")) {
            long id = tiny.tokenId(w);
            assertTrue(id >= 1 && id <= 2, w + " -> " + id);
        }
    }

    @Test
    void spellingVariantsAndSynonymsShareAnId() {
        TextEncoder text = new TextEncoder(4096, 12, 4);
        assertArrayEquals(text.encodeQuestion("Which one is closer to the camera taking this photo?"),
                text.encodeQuestion("which one is nearer to the camera taking this picture?"));
        assertEquals(text.tokenId("further"), text.tokenId("farther"));
        assertEquals(text.tokenId("centre"), text.tokenId("center"));
        assertNotEquals(text.tokenId("closer"), text.tokenId("further"), "opposites stay apart");
    }

    @Test
    void padsShortTextWithZero() {
        long[] ids = encoder.encodeQuestion("left right");
        assertEquals(6, ids.length);
        assertEquals(encoder.tokenId("left"), ids[0]);
        assertEquals(encoder.tokenId("right"), ids[1]);
        for (int i = 2; i < 6; i++) {
            assertEquals(TextEncoder.PAD, ids[i]);
        }
        assertArrayEquals(new long[] {0, 0, 0}, encoder.encodeChoice(""));
    }

    @Test
    void truncatesLongTextKeepingTheStart() {
        long[] ids = encoder.encodeChoice("one two three four five");
        assertArrayEquals(new long[] {encoder.tokenId("one"), encoder.tokenId("two"), encoder.tokenId("three")}, ids);
    }

    @Test
    void encodesInPlaceAtAnOffset() {
        long[] dst = new long[8];
        java.util.Arrays.fill(dst, -1);
        encoder.encode("left", 3, dst, 2);
        assertArrayEquals(new long[] {-1, -1, encoder.tokenId("left"), 0, 0, -1, -1, -1}, dst);
    }
}
