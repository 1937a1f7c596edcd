#!/usr/bin/env python3
"""Writes Fashion-MNIST's IDX files as PNG images in torchvision's ImageFolder convention, for the image-folder recipe.

    python3 recipes/tools/fashion-mnist-to-png.py recipes/data/fashion-mnist-png [--source DIR] [--limit N]

OUT/train/<class>/<index>.png (60,000) and OUT/test/<class>/<index>.png (10,000): 28 x 28 8-bit grayscale PNG files,
<index> the image's position in its IDX file (5 digits, so that file names sort in file order). The class folders are
Fashion-MNIST's label names ('T-shirt/top' becomes 'T-shirt-top'). The IDX files (gzip or raw) are read from --source,
else $TRAINER_DATA, ~/.trainer/data/fashion-mnist or /usr/share/datasets/fashion-mnist (Debian: apt-get install
dataset-fashion-mnist). --limit N writes only the first N images of each split (a small folder for smoke tests).
Only the Python standard library is used (struct, zlib, gzip).
"""
import argparse
import gzip
import os
import struct
import sys
import zlib

CLASSES = ["T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SPLITS = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


def default_folders():
    folders = []
    if os.environ.get("TRAINER_DATA"):
        folders += [os.environ["TRAINER_DATA"], os.path.join(os.environ["TRAINER_DATA"], "fashion-mnist")]
    folders += [os.path.join(os.path.expanduser("~"), ".trainer", "data", "fashion-mnist"), "/usr/share/datasets/fashion-mnist"]
    return folders


def open_idx(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            with (gzip.open(path, "rb") if candidate.endswith(".gz") else open(path, "rb")) as f:
                return path, f.read()
    return None, None


def read_split(folder, split):
    images_name, labels_name = SPLITS[split]
    images_path, images = open_idx(folder, images_name)
    labels_path, labels = open_idx(folder, labels_name)
    if images is None or labels is None:
        sys.exit(f"fashion-mnist-to-png: {images_name}(.gz) or {labels_name}(.gz) is missing in {folder}.")
    magic, count, rows, cols = struct.unpack(">IIII", images[:16])
    if magic != 2051 or len(images) != 16 + count * rows * cols:
        sys.exit(f"fashion-mnist-to-png: {images_path} is not an IDX image file (magic {magic}, {len(images)} bytes).")
    magic, label_count = struct.unpack(">II", labels[:8])
    if magic != 2049 or label_count != count or len(labels) != 8 + count:
        sys.exit(f"fashion-mnist-to-png: {labels_path} is not an IDX label file for {count} images.")
    return count, rows, cols, images, labels


def png(width, height, pixels):
    """An 8-bit grayscale PNG: signature, IHDR, one IDAT (filter 0 per row), IEND."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    parser = argparse.ArgumentParser(description="Write Fashion-MNIST as PNG files in the ImageFolder convention.")
    parser.add_argument("out", help="the folder to write train/ and test/ into")
    parser.add_argument("--source", help="the folder holding the four IDX files (default: searched)")
    parser.add_argument("--limit", type=int, default=None, help="write at most this many images per split")
    args = parser.parse_args()
    if args.limit is not None and args.limit < 1:
        sys.exit("fashion-mnist-to-png: --limit must be at least 1.")
    folders = [args.source] if args.source else default_folders()
    source = next((f for f in folders if open_idx(f, SPLITS["train"][0])[0]), None)
    if source is None:
        sys.exit("fashion-mnist-to-png: Fashion-MNIST not found in " + ", ".join(folders) + "; on Debian: apt-get install dataset-fashion-mnist.")
    for split in SPLITS:
        count, rows, cols, images, labels = read_split(source, split)
        count = min(count, args.limit) if args.limit else count
        for name in CLASSES:
            os.makedirs(os.path.join(args.out, split, name), exist_ok=True)
        size = rows * cols
        for i in range(count):
            pixels = images[16 + i * size:16 + (i + 1) * size]
            with open(os.path.join(args.out, split, CLASSES[labels[8 + i]], f"{i:05d}.png"), "wb") as f:
                f.write(png(cols, rows, pixels))
        print(f"{split}: {count} images in {os.path.join(args.out, split)}")


if __name__ == "__main__":
    main()
