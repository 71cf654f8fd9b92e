#!/usr/bin/env bash
# Stagecoach's setup on Debian 12: installs what is missing, configures, builds, then
#   run   opens the wizard on the demo project (extra arguments go to stagecoach), or
#   test  runs every test headless and ends with CTest's summary, or
#   build stops after building.
# Idempotent: with everything installed and built it only checks and re-links what changed.
set -euo pipefail

mode=${1:-run}
[ $# -gt 0 ] && shift
case "$mode" in
    run|test|build) ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: packaging/setup.sh [run|test|build] [stagecoach arguments...]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${STAGECOACH_BUILD_DIR:-$root/build}

# Debian packages (see ../shared/reference/toolchain.md for why each is named).
build_packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-charts-dev qt6-svg-dev qt6-pdf-dev
    qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev
    libcsv-dev libzip-dev libxxhash-dev libical-dev libssl-dev libsimdjson-dev libjemalloc-dev
    fonts-dejavu-core
    libsecret-1-0   # QtKeychain loads it at run time (dlopen); no package depends on it
)
# A private D-Bus session with gnome-keyring for the keychain tests; dnsmasq for the DNS tests.
test_packages=(dbus gnome-keyring dnsmasq-base)

missing_packages() {
    local p
    for p in "$@"; do
        if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != "installed" ]; then
            printf '%s\n' "$p"
        fi
    done
}

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")
mapfile -t missing < <(missing_packages "${packages[@]}")
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "setup: these packages are missing and sudo is not available: ${missing[*]}" >&2
            echo "setup: install them as root (apt-get install ${missing[*]}) and run this again." >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "setup: installing ${missing[*]}"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y \
        --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$build/build.ninja" ]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTAGECOACH_WERROR=ON "${launcher[@]}"
fi
cmake --build "$build"

case "$mode" in
build)
    ;;
run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "setup: no display found (DISPLAY is not set). Run it under a desktop session, or as" >&2
        echo "setup:   xvfb-run -a packaging/setup.sh run" >&2
    fi
    exec "$build/bin/stagecoach" --demo "$@"
    ;;
test)
    # Headless: offscreen widgets, a throw-away home (settings, data, keyring) and a private D-Bus
    # session with an unlocked gnome-keyring for the keychain tests.
    export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 LC_ALL=C.UTF-8
    export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT
    export HOME=$home XDG_RUNTIME_DIR=$home/runtime
    mkdir -m 700 -p "$XDG_RUNTIME_DIR"
    # The keychain tests skip unless told that the keyring they write to is this throw-away one.
    export STAGECOACH_KEYRING_TESTS=1
    # The demo migration rehearsed headless into both targets (the new user's first proof), then
    # every test.
    dbus-run-session -- sh -c 'echo stagecoach | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
        "$1/bin/stagecoach" run --demo --target brevo && "$1/bin/stagecoach" run --demo --target klaviyo &&
        exec ctest --test-dir "$1" --output-on-failure --timeout 600' sh "$build"
    ;;
esac
