"""pandas instead of np.loadtxt: each file in turn through read_csv (C engine) into the
structured array, then one h5py dataset per file with the same settings as the recipe.

    python3 pandas_h5.py -o out.h5 [--compression none|gzip:4] [--shuffle] FILE...
"""
import argparse

import h5py
import numpy as np
import pandas as pd

from methylation import DTYPE, NAMES, add_output_options, write_dataset

READ_DTYPES = {'chr': object, 'pos': np.int32, 'pct': np.float32, 'c': np.int32, 't': np.int32}


def load(path):
    df = pd.read_csv(path, engine='c', sep='\t', header=None, names=NAMES, dtype=READ_DTYPES)
    arr = np.empty(len(df), dtype=DTYPE)
    for name in NAMES:
        col = df[name].to_numpy()
        arr[name] = col.astype('S10') if name == 'chr' else col
    return arr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_output_options(parser)
    args = parser.parse_args()
    with h5py.File(args.output, 'w') as h5:
        for path in args.files:
            write_dataset(h5, path, load(path), args.compression, args.shuffle)


if __name__ == '__main__':
    main()
