#!/usr/bin/env bash
# Installs what building rota needs beyond the Rust toolchain and a C/C++ compiler:
# cmake and libclang, used by highs-sys to compile the HiGHS MILP solver from source.
# Idempotent and quiet when everything is present. Debian/Ubuntu (apt-get), Fedora (dnf) and
# macOS (Homebrew) are handled; elsewhere it says what to install and stops.
set -euo pipefail

have_libclang() {
    if [ -n "${LIBCLANG_PATH:-}" ] && ls "$LIBCLANG_PATH"/libclang*.so* "$LIBCLANG_PATH"/libclang*.dylib >/dev/null 2>&1; then
        return 0
    fi
    ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so' && return 0
    ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib64/libclang*.so* /usr/lib/x86_64-linux-gnu/libclang*.so* \
        /opt/homebrew/opt/llvm/lib/libclang.dylib /usr/local/opt/llvm/lib/libclang.dylib >/dev/null 2>&1
}

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
have_libclang || missing+=(libclang)
command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1 || missing+=(c++)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]} (needed to compile the HiGHS solver)" >&2
sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "setup: need root to run: $*" >&2; return 1; fi
}
if command -v apt-get >/dev/null 2>&1; then
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake libclang-dev g++ >/dev/null
elif command -v dnf >/dev/null 2>&1; then
    sudo_if_needed dnf install -y -q cmake clang-devel gcc-c++
elif command -v brew >/dev/null 2>&1; then
    brew install cmake llvm
    echo "setup: export LIBCLANG_PATH=\"$(brew --prefix llvm)/lib\" before building" >&2
else
    echo "setup: please install cmake, libclang (LLVM/Clang development files) and a C++ compiler, then rerun." >&2
    exit 1
fi
