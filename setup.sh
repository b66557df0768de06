#!/usr/bin/env bash
# FerroStack set-up on Debian 12: installs the Debian packages FerroStack
# needs (if missing), configures and builds it, then
#   ./setup.sh run    runs the default deck (inputs/ferroelectric/cips_film_2d.prm)
#   ./setup.sh test   runs the whole test suite (ctest: unit tests at -np 1 and 2,
#                     deck regressions, --check of every deck under inputs/)
#   ./setup.sh build  only builds
# Environment: BUILD_DIR (default build), JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-run}
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

packages=(build-essential cmake ccache pkg-config libdeal.ii-dev libvtk9-dev
          libgtest-dev openmpi-bin libopenmpi-dev python3
          python3-numpy python3-scipy python3-matplotlib  # ferrostack-protocol, figures
          libopenblas0-serial)  # optimized BLAS for MUMPS (Debian default is the reference BLAS)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# OpenMPI refuses to run as root without these (CI and containers run as root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/tmp}/.ccache}

echo "== configuring and building in $BUILD_DIR with $JOBS jobs"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release > "$BUILD_DIR.configure.log" 2>&1 || { cat "$BUILD_DIR.configure.log"; exit 1; }
start=$(date +%s)
cmake --build "$BUILD_DIR" -j "$JOBS"
echo "== build took $(( $(date +%s) - start )) s"

case "$mode" in
  run)
    "$BUILD_DIR/ferrostack" inputs/ferroelectric/cips_film_2d.prm
    echo "== results in out/cips_film_2d (terminals.csv: the P-V loop; solution.pvd for ParaView)"
    ;;
  test)
    cd "$BUILD_DIR"
    ctest --output-on-failure -j "$JOBS"
    ;;
  build) ;;
  *) echo "usage: $0 [run|test|build]"; exit 2 ;;
esac
