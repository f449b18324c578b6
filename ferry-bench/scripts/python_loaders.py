#!/usr/bin/env python3
"""Times np.loadtxt and pandas.read_csv on a methylation table (chr pos pct c t, tab-separated),
the contenders of LoaderBenchmark. Each run reads the file with `cat > /dev/null` first (inputs
leave the page cache after a minute idle), then times one load; runs alternate between the
contenders and the median is reported.

    /usr/bin/python3 ferry-bench/scripts/python_loaders.py FILE [RUNS]
"""
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

DTYPE = [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]


def loadtxt(path):
    return np.loadtxt(path, dtype=DTYPE, delimiter='\t', ndmin=1)


def read_csv(path):
    return pd.read_csv(path, engine='c', sep='\t', header=None, names=['chr', 'pos', 'pct', 'c', 't'],
                       dtype={'chr': object, 'pos': np.int32, 'pct': np.float32, 'c': np.int32, 't': np.int32})


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    size = os.path.getsize(path)
    contenders = {'np.loadtxt': loadtxt, 'pandas.read_csv(c)': read_csv}
    rates = {name: [] for name in contenders}
    warnings.simplefilter('ignore')
    for run in range(runs):
        for name, load in contenders.items():
            subprocess.run('cat "%s" > /dev/null' % path, shell=True, check=True)
            t0 = time.perf_counter()
            c0 = time.process_time()
            rows = len(load(path))
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
            rates[name].append(size / wall / 1e6)
            print('%-20s run %d: %d rows, %.2f s wall (%.0f MB/s), %.2f s cpu (%.0f MB/s)'
                  % (name, run + 1, rows, wall, size / wall / 1e6, cpu, size / cpu / 1e6), flush=True)
    for name, r in rates.items():
        print('%-20s median %.0f MB/s (wall) over %d runs' % (name, statistics.median(r), len(r)))


if __name__ == '__main__':
    main()
