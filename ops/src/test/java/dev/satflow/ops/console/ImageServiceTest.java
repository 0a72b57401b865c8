package dev.satflow.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The image caches stay within their bytes however many images pages ask for. */
class ImageServiceTest {
    @Test
    void cacheEvictsTheLeastRecentlyUsedPastItsBytes() {
        ImageService.BytesLru<Integer, byte[]> lru = new ImageService.BytesLru<>(350, b -> b.length);
        for (int i = 0; i < 3; i++) {
            lru.put(i, new byte[100]);
        }
        assertNotNull(lru.get(0)); // used: 1 is now the least recent
        for (int i = 3; i < 1000; i++) {
            lru.put(i, new byte[100]);
            if (i == 3) {
                assertNull(lru.get(1), "the least recently used went first");
                assertNotNull(lru.get(0));
            }
        }
        assertEquals(3, lru.size());
        assertEquals(300, lru.bytes());
        assertNotNull(lru.get(999));
        lru.put(-1, new byte[351]);
        assertNull(lru.get(-1), "an image larger than the whole cache is not kept");
        assertEquals(300, lru.bytes());
    }
}
