#!/usr/bin/env bash
# Installs the Debian packages RollSense needs to build, test and simulate; quiet when they are
# all present. Uses sudo only when not root. See docs/DEVELOPMENT.md for what each is for.
set -euo pipefail

packages=(
    pkg-config libudev-dev                 # device discovery (CUdev)
    umockdev libumockdev-dev               # fake udev devices in tests
    gcc-avr avr-libc binutils-avr arduino-core-avr  # firmware build
    simavr libsimavr-dev libelf-dev        # firmware under simulation
    libsqlite3-dev                         # history database
    tmux                                   # terminal view tests
    libespeak-ng-dev espeak-ng-data        # spoken cues (CEspeakNG), synthesised in process
    libasound2-dev                         # sound output (CALSA); tests use ALSA's null device
    python3                                # firmware smoke test (Tools/wire_reference.py)
    avrdude                                # rollsense flash, tested against the simulated Uno
    man-db groff-base                      # make test-install renders the man page
    libqrencode-dev                        # the live page's QR code in the terminal (CQRencode)
    chromium                               # the live page's tests and bench, headless
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
