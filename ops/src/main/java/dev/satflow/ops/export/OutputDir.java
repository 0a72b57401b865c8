package dev.satflow.ops.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/** The export directory: every file goes through {@link #file(String)}, which keeps it inside. */
final class OutputDir {
    private final Path root;
    private final Path realRoot;
    private final Set<Path> checkedDirs = new HashSet<>();

    private OutputDir(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    static OutputDir open(Path dir, boolean overwrite) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("export directory " + root + ": not a directory");
        }
        Files.createDirectories(root);
        if (!overwrite) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
                if (s.iterator().hasNext()) {
                    throw new IllegalArgumentException("export directory " + root
                            + ": not empty (choose a new directory, or allow overwriting)");
                }
            }
        }
        OutputDir out = new OutputDir(root, root.toRealPath());
        out.checkedDirs.add(root);
        return out;
    }

    Path root() {
        return root;
    }

    /**
     * The file at {@code relative} ('/' separated), its directories created; refused when it would lie outside the
     * export directory (after normalising, and after resolving links of its directory).
     */
    Path file(String relative) throws IOException {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("path '" + relative + "' would leave the export directory " + root);
        }
        Path parent = p.getParent();
        if (!checkedDirs.contains(parent)) {
            Files.createDirectories(parent);
            if (!parent.toRealPath().startsWith(realRoot)) {
                throw new IllegalArgumentException("path '" + relative + "': its directory " + parent
                        + " leads outside the export directory " + root);
            }
            checkedDirs.add(parent);
        }
        return p;
    }

    /** A new (or truncated) file, never through a symbolic link. */
    static OutputStream create(Path file, int buffer) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), buffer);
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code file} relative to the root, '/' separated. */
    String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
