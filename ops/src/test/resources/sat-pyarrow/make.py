"""Writes the pyarrow fixtures SatParquetReaderTest reads: the HF array/SAT columns as pyarrow (which HF datasets
uses) writes them, right answer first as in HF's files, 12x12 random PNGs. Run with pyarrow installed:
python make.py (written with pyarrow 25.0.1)."""
import random
import struct
import zlib

import pyarrow as pa
import pyarrow.parquet as pq


def png(w, h, seed):
    r = random.Random(seed)
    raw = b''.join(b'\x00' + bytes(r.randrange(256) for _ in range(3 * w)) for _ in range(h))

    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)

    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


TYPES = [('left_right', 1, ['left', 'right']), ('ego_movement', 2, ['rotated left', 'rotated right']),
         ('goal_aim', 1, ['left by 30 degrees', 'right by 30 degrees', 'look straight']),
         ('counting', 1, ['2', '3', '1', '4'])]
rows = []
for i in range(24):
    t, n, answers = TYPES[i % 4]
    answers = answers[i % len(answers):] + answers[:i % len(answers)]   # the right answer first, as in HF
    rows.append(dict(image_bytes=[png(12, 12, i * 2 + k) for k in range(n)],
                     question=f'Question {i % 5} about {t} – “{i}”?', answers=answers, question_type=t,
                     correct_answer=answers[0]))
schema = pa.schema([('image_bytes', pa.list_(pa.binary())), ('question', pa.string()),
                    ('answers', pa.list_(pa.string())), ('question_type', pa.string()),
                    ('correct_answer', pa.string())])
table = pa.Table.from_pylist(rows, schema=schema)
pq.write_table(table, 'default.parquet')   # SNAPPY, dictionary pages (images too), data page v1
pq.write_table(table, 'v2-zstd.parquet', data_page_version='2.0', compression='zstd')
pq.write_table(table, 'legacy-gzip.parquet', compression='gzip', use_compliant_nested_type=False,
               row_group_size=5)   # list.item, 5 row groups
pq.write_table(table, 'brotli.parquet', compression='brotli')   # a codec satflow does not read
