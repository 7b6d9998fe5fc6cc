# One entry point for people and CI. `make demo` runs the main job, `make test` every test suite.
SWIFT ?= swift
PYTHON ?= python3

.PHONY: setup build demo test test-swift test-firmware check-imports bench fuzz clean

setup:
	@Tools/setup.sh

build: setup
	@$(SWIFT) build

# The main job on a built-in default, no hardware needed.
demo: build
	@$$($(SWIFT) build --show-bin-path)/rollsense demo

test: setup check-imports test-firmware test-swift

# docs/ARCHITECTURE.md's import table, kept true.
check-imports:
	@Tools/check-imports.sh

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
	rm -rf .build Fuzz/.build Firmware/build bench-out

# A short bounded run of every fuzz target (Tools/fuzz/*.sh, 15 s each) as part of `make test`:
# about 1 min of fuzzing plus the sanitizer build. `make fuzz` runs them longer (60 s each).
.PHONY: test-fuzz
test: test-fuzz
test-fuzz: setup
	FUZZ_SECONDS=$${FUZZ_SECONDS:-15} Tools/fuzz.sh
