#!/usr/bin/env python3
"""Write the .npy files of every dtype and byte order wgml's .npy reader
accepts, with NumPy, into OUTDIR (data/testdata/npy/numpy holds the
committed ones; data/npy_test.go reads both them and, where NumPy is
installed, a fresh set):

    npy-fixtures.py OUTDIR

Values (the Go test computes the same): x = arange(12).reshape(3, 4) / 4 - 1
in '<f4', '>f4', '=f4' (NumPy writes '<f4' for it; the header is rewritten
to '=f4'), '<f8', '>f8'; images (arange(24) * 10 % 256) as uint8 of shape
(2, 3, 4, 1) and (2, 3, 4); labels [-3, 0, 5] as '|i1', '>i2', '<i4',
'<i8', and [0, 7, 2] as '<u2', '>u4' and float '<f8'.
"""
import os
import sys

import numpy as np


def main(out):
    os.makedirs(out, exist_ok=True)
    x = np.arange(12, dtype=np.float64).reshape(3, 4) / 4 - 1
    for dt in ["<f4", ">f4", "<f8", ">f8"]:
        np.save(os.path.join(out, "x_%s.npy" % dt.replace("<", "le").replace(">", "be")), x.astype(dt))
    path = os.path.join(out, "x_nat_f4.npy")
    np.save(path, x.astype("<f4"))
    with open(path, "r+b") as f:
        b = f.read()
        f.seek(0)
        f.write(b.replace(b"'<f4'", b"'=f4'", 1))
    img = (np.arange(24) * 10 % 256).astype(np.uint8)
    np.save(os.path.join(out, "img_u1_nhw1.npy"), img.reshape(2, 3, 4, 1))
    np.save(os.path.join(out, "img_u1_nhw.npy"), img.reshape(2, 3, 4))
    for dt in ["|i1", ">i2", "<i4", "<i8"]:
        np.save(os.path.join(out, "y_%s%s.npy" % (dt[1:], "_be" if dt[0] == ">" else "")), np.array([-3, 0, 5], dtype=dt))
    for dt in ["<u2", ">u4", "<f8"]:
        np.save(os.path.join(out, "z_%s%s.npy" % (dt[1:], "_be" if dt[0] == ">" else "")), np.array([0, 7, 2], dtype=dt))


if __name__ == "__main__":
    main(sys.argv[1])
