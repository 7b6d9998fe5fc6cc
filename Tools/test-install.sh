#!/usr/bin/env bash
# `make install` into a temporary DESTDIR (the debug build: INSTALL_CONFIG=debug; the release
# build only changes the binary and costs minutes), then the installed files are checked and the
# installed binary run: --version, its completions and man page, and `rollsense flash` of the
# simulated Uno with the installed firmware image. Then `make uninstall` must leave nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
stage="$(mktemp -d)"
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$stage"; }
trap cleanup EXIT
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }

make -s install DESTDIR="$stage/root" PREFIX=/usr/local INSTALL_CONFIG="${INSTALL_CONFIG:-debug}" >/dev/null
echo "test-install: installed files:"
(cd "$stage/root" && find . -type f | sort | sed 's|^\.|  |')
expected="./etc/udev/rules.d/99-rollsense.rules
./usr/local/bin/rollsense
./usr/local/share/bash-completion/completions/rollsense
./usr/local/share/fish/vendor_completions.d/rollsense.fish
./usr/local/share/man/man1/rollsense.1
./usr/local/share/rollsense/firmware/leonardo.hex
./usr/local/share/rollsense/firmware/uno.hex
./usr/local/share/zsh/site-functions/_rollsense"
[ "$(cd "$stage/root" && find . -type f | sort)" = "$expected" ] || fail "the installed files differ from the list above"

bin="$stage/root/usr/local/bin/rollsense"
"$bin" --version | grep -qx "$(sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/rollsense/RollSense.swift)" || fail "--version"
bash -n "$stage/root/usr/local/share/bash-completion/completions/rollsense" || fail "bash completion does not parse"
grep -q "flash" "$stage/root/usr/local/share/bash-completion/completions/rollsense" || fail "bash completion lacks flash"
grep -q "doctor" "$stage/root/usr/local/share/zsh/site-functions/_rollsense" || fail "zsh completion lacks doctor"
grep -q "nano-old" "$stage/root/usr/local/share/fish/vendor_completions.d/rollsense.fish" || fail "fish completion lacks the flash boards"
man_text="$(MANWIDTH=80 man -l "$stage/root/usr/local/share/man/man1/rollsense.1" 2>&1)" || fail "man -l failed: $man_text"
for word in "rollsense flash" "rollsense doctor" "--hello-timeout" "nano-old"; do
    grep -qF -- "$word" <<<"$man_text" || fail "the man page lacks '$word'"
done
cmp -s Firmware/99-rollsense.rules "$stage/root/etc/udev/rules.d/99-rollsense.rules" || fail "udev rule differs"

# The installed binary finds the installed image (PREFIX/share/rollsense/firmware), not the checkout's.
sim=Firmware/build/sim/rollsense-sim
[ -x "$sim" ] || make -s -C Firmware/sim >/dev/null
"$sim" -r -B Firmware/build/sim/optiboot_atmega328.hex -R -l "$stage/uno" >/dev/null 2>"$stage/sim.log" &
sim_pid=$!
for _ in $(seq 50); do [ -e "$stage/uno" ] && break; sleep 0.1; done
out="$(cd "$stage" && "$bin" flash --device "$stage/uno" --board uno 2>&1)" || fail "installed flash failed: $out"
grep -qF "$stage/root/usr/local/share/rollsense/firmware/uno.hex" <<<"$out" || fail "flash did not use the installed image: $out"
grep -q "RollSense firmware 1.0.0 is running" <<<"$out" || fail "no HELLO after flashing: $out"
echo "test-install: installed rollsense flashed the simulated Uno:"
sed 's/^/  /' <<<"$out"

make -s uninstall DESTDIR="$stage/root" PREFIX=/usr/local >/dev/null
left="$(cd "$stage/root" && find . -type f)"
[ -z "$left" ] || fail "uninstall left: $left"
echo "test-install: ok (install, run, uninstall)"
