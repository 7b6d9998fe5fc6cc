# One entry point for people and CI. `make demo` runs the main job, `make test` every test suite.
SWIFT ?= swift
PYTHON ?= python3

.PHONY: setup build demo test test-swift test-firmware check-imports check-hardware hardware bench fuzz clean

setup:
	@Tools/setup.sh

build: setup
	@$(SWIFT) build

# The main job on a built-in default, no hardware needed.
demo: build
	@$$($(SWIFT) build --show-bin-path)/rollsense demo

test: setup check-imports check-hardware test-firmware test-swift

# docs/ARCHITECTURE.md's import table, kept true.
check-imports:
	@Tools/check-imports.sh

# Hardware/rigs/*.json against config.h, the Makefile's builds, the simulators and the profiles
# (standard-library Python, under a second), and the tests that prove the check can fail.
check-hardware:
	@$(PYTHON) Tools/hardware.py check
	@$(PYTHON) Tools/test_hardware.py

# Parts lists, wiring SVGs (WireViz + Graphviz) and STLs (OpenSCAD) from Hardware/rigs/*.json;
# installs its own tools when missing (docs/HARDWARE.md).
hardware:
	@$(PYTHON) Tools/hardware.py generate

test-swift:
	$(SWIFT) build --build-tests
	Tools/run-swift-tests.sh

test-firmware:
	@if [ -f Firmware/Makefile ]; then $(MAKE) -C Firmware test; fi

bench: setup
	Tools/bench.sh

fuzz: setup
	Tools/fuzz.sh

clean:
	rm -rf .build Fuzz/.build Firmware/build bench-out Hardware/build

# A short bounded run of every fuzz target (Tools/fuzz/*.sh, 15 s each) as part of `make test`:
# about 1 min of fuzzing plus the sanitizer build. `make fuzz` runs them longer (60 s each).
.PHONY: test-fuzz
test: test-fuzz
test-fuzz: setup
	FUZZ_SECONDS=$${FUZZ_SECONDS:-15} Tools/fuzz.sh

# ---- Install -----------------------------------------------------------------------------------
# `make install` (PREFIX=/usr/local, DESTDIR honoured): the binary, the firmware images
# `rollsense flash` uses, the udev rule (udev is told to reload when installing to /), shell
# completions and a man page, both generated from the command definitions by the installed binary.
# INSTALL_CONFIG=debug installs the debug build instead of a release build (minutes on 2 cores):
# make test-install uses it, since the files and paths are what it tests.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_CONFIG ?= release
BINDIR := $(PREFIX)/bin
SHAREDIR := $(PREFIX)/share
# udev reads /etc/udev/rules.d and /usr/lib/udev/rules.d, not /usr/local/lib/udev/rules.d.
UDEVRULESDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev/rules.d,/etc/udev/rules.d)
INSTALLED_FILES := $(BINDIR)/rollsense \
    $(SHAREDIR)/rollsense/firmware/uno.hex $(SHAREDIR)/rollsense/firmware/leonardo.hex \
    $(UDEVRULESDIR)/99-rollsense.rules \
    $(SHAREDIR)/bash-completion/completions/rollsense $(SHAREDIR)/zsh/site-functions/_rollsense \
    $(SHAREDIR)/fish/vendor_completions.d/rollsense.fish $(SHAREDIR)/man/man1/rollsense.1

.PHONY: install uninstall test-install
install:
	$(SWIFT) build -c $(INSTALL_CONFIG) --product rollsense
	$(MAKE) -C Firmware build/uno/rollsense.hex build/leonardo/rollsense.hex
	@set -e; bin="$$($(SWIFT) build -c $(INSTALL_CONFIG) --show-bin-path)/rollsense"; d="$(DESTDIR)"; \
	install -D -m 755 "$$bin" "$$d$(BINDIR)/rollsense"; \
	install -D -m 644 Firmware/build/uno/rollsense.hex "$$d$(SHAREDIR)/rollsense/firmware/uno.hex"; \
	install -D -m 644 Firmware/build/leonardo/rollsense.hex "$$d$(SHAREDIR)/rollsense/firmware/leonardo.hex"; \
	install -D -m 644 Firmware/99-rollsense.rules "$$d$(UDEVRULESDIR)/99-rollsense.rules"; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	"$$bin" --generate-completion-script bash > "$$tmp/bash"; \
	"$$bin" --generate-completion-script zsh > "$$tmp/zsh"; \
	"$$bin" --generate-completion-script fish > "$$tmp/fish"; \
	"$$bin" --experimental-dump-help | $(PYTHON) Tools/manpage.py > "$$tmp/man"; \
	install -D -m 644 "$$tmp/bash" "$$d$(SHAREDIR)/bash-completion/completions/rollsense"; \
	install -D -m 644 "$$tmp/zsh" "$$d$(SHAREDIR)/zsh/site-functions/_rollsense"; \
	install -D -m 644 "$$tmp/fish" "$$d$(SHAREDIR)/fish/vendor_completions.d/rollsense.fish"; \
	install -D -m 644 "$$tmp/man" "$$d$(SHAREDIR)/man/man1/rollsense.1"
	@if [ -z "$(DESTDIR)" ] && command -v udevadm >/dev/null; then udevadm control --reload || echo "note: udevadm control --reload failed; replug the board or reboot for the rule to apply"; fi

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_FILES))
	-rmdir $(DESTDIR)$(SHAREDIR)/rollsense/firmware $(DESTDIR)$(SHAREDIR)/rollsense 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && command -v udevadm >/dev/null; then udevadm control --reload || true; fi

# Installs the debug build into a temporary DESTDIR, runs the installed binary (flashing the
# simulated Uno with the installed image), and uninstalls: Tools/test-install.sh.
test-install:
	Tools/test-install.sh
test: test-install
