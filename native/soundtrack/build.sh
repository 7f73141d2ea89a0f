#!/usr/bin/env bash
# Builds soundtrack.wasm and its JS glue (wasm/) from Debian's ffmpeg source package with Debian's emscripten.
# Needs: `apt-get install emscripten dpkg-dev` and a deb-src line for Debian 12 (bookworm, bookworm-security), so that
# `apt-get source` finds the package (.ci/rebuild-soundtrack sets both up). Nothing else is downloaded.
# Usage: native/soundtrack/build.sh [output folder]   (default: native/soundtrack/wasm, the committed files)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/wasm}")"

# The exact source: Debian's package, its version and the SHA-256 of each of its files (from its .dsc).
PACKAGE=ffmpeg
VERSION=7:5.1.9-0+deb12u1
SHA256="\
055f82fca9a92f1d47216be2c2488d09373c7ca154806fbc36b0127c191d5104  ffmpeg_5.1.9-0+deb12u1.dsc
d9b593bb2ba93d4b50f74177e0cdcd41747e708596367deed0c30348a71dd176  ffmpeg_5.1.9.orig.tar.xz
71b20472ecd2764bc98e3229d34c0f7c8dcfe4a6cbacc23fd5604c23bac04632  ffmpeg_5.1.9-0+deb12u1.debian.tar.xz"
# The compiler the committed files were built with: another one gives other bytes.
EMSCRIPTEN=3.1.6~dfsg-5

installed="$(dpkg-query -W -f='${Version}' emscripten 2>/dev/null || true)"
if [ "$installed" != "$EMSCRIPTEN" ]; then
  echo "build.sh: needs Debian's emscripten $EMSCRIPTEN (found: ${installed:-none}): apt-get install emscripten" >&2
  exit 1
fi
# Debian's emcc runs Node scripts that need Debian's node-acorn, which a Node installed elsewhere does not look for.
export NODE_PATH=/usr/share/nodejs
# Fixed dates and paths, so that two builds give the same bytes.
export SOURCE_DATE_EPOCH=0 TZ=UTC LC_ALL=C

work="$(mktemp -d "${TMPDIR:-/tmp}/soundtrack-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get source --download-only "$PACKAGE=$VERSION" >apt-source.log 2>&1; then
  cat apt-source.log >&2
  echo "build.sh: apt-get source found no $PACKAGE $VERSION: add a deb-src line for bookworm and bookworm-security (see .ci/rebuild-soundtrack)" >&2
  exit 1
fi
echo "$SHA256" | sha256sum --check --strict
# The checksums above stand for the signature (Debian's keyring is not needed).
dpkg-source --no-check -x ffmpeg_5.1.9-0+deb12u1.dsc ffmpeg >/dev/null
cd ffmpeg

./configure --target-os=none --arch=x86_32 --enable-cross-compile --cc=emcc --cxx=em++ --ar=emar --ranlib=emranlib --nm=emnm \
  --disable-asm --disable-inline-asm --disable-x86asm --disable-runtime-cpudetect \
  --disable-pthreads --disable-w32threads --disable-os2threads --disable-network --disable-autodetect --disable-iconv \
  --disable-debug --disable-programs --disable-doc --disable-avdevice --disable-swscale --disable-swresample \
  --disable-postproc --disable-avfilter --disable-everything \
  --enable-decoder=aac --enable-encoder=flac --enable-demuxer=mov --enable-muxer=mp4 --enable-protocol=file \
  --enable-small --optflags=-Oz --extra-cflags="-ffile-prefix-map=$work/ffmpeg=ffmpeg" >configure.log
# Only LGPL code may go in: configure names the licence of what it enabled.
if ! grep -qx 'License: LGPL version 2.1 or later' configure.log; then
  grep '^License:' configure.log >&2 || cat configure.log >&2
  echo "build.sh: configure does not report 'License: LGPL version 2.1 or later'" >&2
  exit 1
fi
make -j"$(nproc)" libavformat/libavformat.a libavcodec/libavcodec.a libavutil/libavutil.a >make.log 2>&1 || { tail -40 make.log >&2; exit 1; }

mkdir -p "$work/glue"
emcc -Oz -ffile-prefix-map="$here=soundtrack" -I. "$here/soundtrack.c" \
  libavformat/libavformat.a libavcodec/libavcodec.a libavutil/libavutil.a \
  -o "$work/glue/soundtrack.js" \
  -sMODULARIZE=1 -sEXPORT_NAME=createSoundtrack -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=0 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
  -sEXPORTED_FUNCTIONS=_soundtrack_convert,_soundtrack_message -sEXPORTED_RUNTIME_METHODS=ccall,FS,NODEFS -lnodefs.js
mkdir -p "$out"
cp "$work/glue/soundtrack.js" "$work/glue/soundtrack.wasm" "$out/"
cp COPYING.LGPLv2.1 "$out/COPYING.LGPLv2.1"
ls -l "$out"
