package dev.satflow.ops.export;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet input file on the local file system through {@link FileChannel} (parquet-java's own local input file
 * goes through Hadoop's file system). Streams read at their own position, unbuffered: they serve the footer
 * (a few large reads) and {@link SatParquetPages}, which buffers.
 */
final class NioInputFile implements InputFile {
    private final Path path;

    NioInputFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    @Override
    public long getLength() throws IOException {
        return java.nio.file.Files.size(path);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        return new Stream(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** A stream over the channel with its own position. */
    static final class Stream extends SeekableInputStream {
        private final FileChannel ch;
        private long pos;

        Stream(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0) {
                throw new IOException("seek to " + newPos);
            }
            pos = newPos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            if (!buf.hasRemaining()) {
                return 0;
            }
            int n = ch.read(buf, pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = Math.max(0, Math.min(n, ch.size() - pos));
            pos += k;
            return k;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, ch.size() - pos));
        }

        @Override
        public void readFully(byte[] b) throws IOException {
            readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws IOException {
            readFully(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                if (read(buf) < 0) {
                    throw new EOFException("end of file at " + pos + " with " + buf.remaining() + " bytes still to "
                            + "read");
                }
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
