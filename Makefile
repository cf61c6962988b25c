# Makefile - the project's front door: `make run` and `make check` do everything on Debian.
#   make          build build/pronostic (warnings allowed locally, -Werror in check)
#   make run      install dependencies, build, then the main job (scripts/run-main)
#   make check    install dependencies, build with -Werror, run every test, then again under
#                 ASan+UBSan, then the threaded paths under ThreadSanitizer, then a short
#                 fuzzing run of each parser
#   make golden   regenerate the expected values of tests/golden/ with R
#   make bench    run the benchmarks against R (bench/)
JOBS ?= 2
FUZZ_SECONDS ?= 15
CMAKE ?= cmake

.PHONY: all build deps run check test test-asan test-tsan fuzz golden bench format clean

all: build

build:
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	$(CMAKE) --build build -j $(JOBS)

deps:
	scripts/install-deps

run: deps build
	scripts/run-main

check: deps
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPN_WERROR=ON >/dev/null
	$(CMAKE) --build build -j $(JOBS)
	cd build && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan
	$(MAKE) test-tsan
	$(MAKE) fuzz

test: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-asan:
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPN_WERROR=ON -DPN_SANITIZE=ON >/dev/null
	$(CMAKE) --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

# the threaded paths only (the drivers' unit tests, the threaded integration tests), so that the
# added time stays small
TSAN_TESTS ?= unit\.test_parread|unit\.test_csvsplit|integration\.threads_identical|integration\.netsurv_threads|integration\.netsurv_read_threads|integration\.pathway_handbuilt|integration\.serve_threads
test-tsan:
	$(CMAKE) -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DPN_WERROR=ON -DPN_TSAN=ON >/dev/null
	$(CMAKE) --build build-tsan -j $(JOBS) --target pronostic csvdiff test_parread test_csvsplit
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

fuzz:
	CC=clang $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DPN_FUZZ=ON >/dev/null
	$(CMAKE) --build build-fuzz -j $(JOBS) --target $$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$$//' | tr '\n' ' ')
	scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

golden:
	scripts/golden

bench: build
	@for b in bench/*/run; do echo "== $$b"; $$b || exit 1; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-tsan build-fuzz
