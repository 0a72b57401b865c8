package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDataset shards read back with GNU tar (no commons-compress): members, modes, samples, shard rollover. */
class ExportWebDatasetTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs GNU tar, returns its standard output. */
    static String tar(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tar"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "tar " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    /** The sample key of a member, webdataset's rule: the basename up to its first dot. */
    static String key(String member) {
        int slash = member.lastIndexOf('/');
        int dot = member.indexOf('.', slash + 1);
        return member.substring(0, dot);
    }

    @Test
    void samplesAreContiguousReadOnlyUstarMembersWithJsonAndPngs() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 48);
        Path dir = tmp.resolve("out");
        Summary s = ExportFixtures.export(Format.WEBDATASET, dir, Options.defaults(), qs);
        assertEquals(List.of("test-000000.tar", "train-000000.tar", "val-000000.tar"),
                s.files().stream().map(Summary.FileEntry::path).toList());
        assertEquals(70, s.images());

        Map<String, ExportFixtures.Q> byId = new LinkedHashMap<>();
        qs.forEach(q -> byId.put(q.q().getQaId(), q));
        int samples = 0;
        for (Summary.FileEntry f : s.files()) {
            Path shard = dir.resolve(f.path());
            assertEquals(0, Files.size(shard) % 10240, "whole tar blocks");
            String listing = tar(dir, "-tvf", f.path());
            List<String> names = new ArrayList<>();
            for (String line : listing.strip().split("\n")) {
                String[] cols = line.trim().split("\\s+");
                assertEquals("-r--r--r--", cols[0], line);
                assertEquals("bigdata/bigdata", cols[1], line);
                assertEquals("2000-01-01", cols[3], line);
                names.add(cols[cols.length - 1]);
            }
            // the first header, read raw: USTAR magic and version, mode field with permission bits only
            byte[] head = new byte[512];
            try (var in = Files.newInputStream(shard)) {
                assertEquals(512, in.readNBytes(head, 0, 512));
            }
            assertEquals("ustar\u000000", new String(head, 257, 8, StandardCharsets.US_ASCII));
            assertEquals("0000444", new String(head, 100, 7, StandardCharsets.US_ASCII));

            // extract with GNU tar and read the files directly
            Path x = tmp.resolve("x-" + f.path());
            Files.createDirectories(x);
            tar(x, "-xf", shard.toString());
            Set<String> finished = new HashSet<>();
            String current = null;
            List<String> fields = new ArrayList<>();
            names.add(null); // sentinel
            for (String name : names) {
                String k = name == null ? null : key(name);
                if (current != null && !current.equals(k)) {
                    assertTrue(finished.add(current), "sample " + current + " is not contiguous");
                    JsonNode meta = JSON.readTree(Files.readAllBytes(x.resolve(current + ".json")));
                    ExportFixtures.Q q = byId.get(meta.get("qa_id").asText());
                    int n = q.images().size();
                    assertEquals(n == 1 ? List.of("0.png", "json") : List.of("0.png", "1.png", "json"), fields,
                            "fields of " + current + " in sorted order");
                    assertEquals(n, meta.get("num_images").asInt());
                    assertEquals(q.q().getQuestion(), meta.get("question").asText());
                    assertEquals(q.q().getChoices(), JSON.convertValue(meta.get("answers"), List.class));
                    assertEquals(q.q().getCorrectAnswer(), meta.get("correct_answer").asText());
                    assertEquals(q.q().getQuestionType(), meta.get("question_type").asText());
                    assertEquals(q.q().getSplit(), meta.get("split").asText());
                    assertTrue(f.path().startsWith(q.q().getSplit() + "-"));
                    for (int i = 0; i < n; i++) {
                        byte[] png = Files.readAllBytes(x.resolve(current + "." + i + ".png"));
                        assertTrue(ExportFixtures.isPng(png));
                        assertArrayEquals(q.images().get(i).png(), png);
                    }
                    samples++;
                    fields.clear();
                }
                if (name != null) {
                    assertFalse(k.contains(".") || k.contains("/"), "key " + k);
                    fields.add(name.substring(k.length() + 1));
                    current = k;
                }
            }
        }
        assertEquals(qs.size(), samples);
    }

    @Test
    void shardsRollOverBeforeASampleAndNeverSplitIt() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 100);   // ~30 KB per image
        Path dir = tmp.resolve("out");
        long limit = 100_000;
        Summary s = ExportFixtures.export(Format.WEBDATASET, dir, Options.defaults().withTarShardBytes(limit), qs);
        List<String> train = s.files().stream().map(Summary.FileEntry::path).filter(p -> p.startsWith("train-"))
                .toList();
        assertTrue(train.size() > 5, "30 train samples of 30-60 KB in 100 KB shards: " + train);
        for (int i = 0; i < train.size(); i++) {
            assertEquals(String.format("train-%06d.tar", i), train.get(i));
        }
        Set<String> seen = new HashSet<>();
        int samples = 0;
        for (Summary.FileEntry f : s.files()) {
            assertTrue(f.bytes() <= limit, f + " over the " + limit + " B limit");
            List<String> names = List.of(tar(dir, "-tf", f.path()).strip().split("\n"));
            assertTrue(names.get(0).endsWith(".0.png"), "a shard starts a sample: " + names);
            assertTrue(names.get(names.size() - 1).endsWith(".json"), "a shard ends a sample: " + names);
            for (String n : names) {
                if (n.endsWith(".json")) {
                    assertTrue(seen.add(key(n)), "sample " + key(n) + " in two shards");
                    samples++;
                }
            }
        }
        assertEquals(qs.size(), samples);

        // the sample-count limit too
        Path dir2 = tmp.resolve("out2");
        Summary c = ExportFixtures.export(Format.WEBDATASET, dir2, Options.defaults().withTarShardSamples(7), qs);
        assertEquals(List.of("test-000000.tar", "test-000001.tar", "train-000000.tar", "train-000001.tar",
                "train-000002.tar", "train-000003.tar", "train-000004.tar", "val-000000.tar", "val-000001.tar"),
                c.files().stream().map(Summary.FileEntry::path).toList());
        assertEquals(16, tar(dir2, "-tf", "train-000000.tar").strip().split("\n").length,
                "7 samples: 5 of 1 or 2 images from one scene (12 members), 2 one-image ones from the next");
    }
}
