"""Checks a converted HDF5 file cheaply: one dataset per input with the expected row count,
the table's dtype, the requested filters, and first and last records equal to np.loadtxt of the
input's first and last lines. Prints one JSON object; exits 1 when anything is off.

    python3 verify.py OUT.h5 [--compression none|gzip:4] [--shuffle] FILE:ROWS...
"""
import argparse
import io
import json
import os
import sys

import h5py
import numpy as np

from methylation import DTYPE, dataset_name


def edge_lines(path):
    with open(path, 'rb') as f:
        first = f.readline()
        size = os.fstat(f.fileno()).st_size
        f.seek(max(0, size - 4096))
        last = [l for l in f.read().splitlines() if l.strip()][-1]
    return first, last


def parse_line(line):
    return np.loadtxt(io.BytesIO(line), dtype=DTYPE, ndmin=1)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('output')
    parser.add_argument('expect', nargs='+', metavar='FILE:ROWS')
    parser.add_argument('--compression', default='none')
    parser.add_argument('--shuffle', action='store_true')
    args = parser.parse_args()

    problems, datasets = [], {}
    want_gzip = args.compression != 'none'
    with h5py.File(args.output, 'r') as h5:
        expected_names = set()
        for spec in args.expect:
            path, _, rows = spec.rpartition(':')
            rows = int(rows)
            name = dataset_name(path)
            expected_names.add(name)
            if name not in h5:
                problems.append('no dataset /%s' % name)
                continue
            ds = h5[name]
            datasets[name] = {'rows': ds.shape[0] if ds.shape else None, 'chunks': ds.chunks,
                              'compression': ds.compression, 'compression_opts': ds.compression_opts,
                              'shuffle': ds.shuffle}
            if ds.shape != (rows,):
                problems.append('/%s has shape %s, expected (%d,)' % (name, ds.shape, rows))
            if ds.dtype != DTYPE:
                problems.append('/%s has dtype %s, expected %s' % (name, ds.dtype, DTYPE))
            if (ds.compression == 'gzip') != want_gzip or bool(ds.shuffle) != args.shuffle:
                problems.append('/%s has compression %s shuffle %s, expected %s shuffle %s'
                                % (name, ds.compression, ds.shuffle, args.compression, args.shuffle))
            if rows and ds.shape == (rows,):
                first, last = edge_lines(path)
                for label, index, line in (('first', 0, first), ('last', rows - 1, last)):
                    got, want = ds[index], parse_line(line)
                    if got.tobytes() != want.tobytes():
                        problems.append('/%s %s record %r, expected %r (from %r)'
                                        % (name, label, got, want, line.decode(errors='replace')))
        extra = sorted(set(h5.keys()) - expected_names)
        if extra:
            problems.append('unexpected datasets: %s' % ', '.join('/' + e for e in extra))
    print(json.dumps({'ok': not problems, 'problems': problems, 'datasets': datasets}))
    sys.exit(0 if not problems else 1)


if __name__ == '__main__':
    main()
