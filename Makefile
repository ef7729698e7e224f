# llmcost — see README.md.  `make help` lists the targets.
.SUFFIXES:

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
FLAVOUR ?= release
B        = build/$(FLAVOUR)

PKGS     = gsl yaml-0.1 jansson
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
OPT_release = -O2 -g
OPT_asan    = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT_cov     = -O0 -g --coverage -fprofile-update=atomic  # atomic: the tests run threads
# make fuzz: the library built with clang for libFuzzer (harnesses in tests/fuzz/)
OPT_fuzz    = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all -DLC_SIMULATE_JUDGE_SAMPLES=20
CFLAGS  ?= $(OPT_$(FLAVOUR))
# include/ mirrors src/: one folder per stage, engine -> analyses -> results -> cli.
STAGES   = engine analyses results cli
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(patsubst %,-Iinclude/%,$(filter-out cli,$(STAGES))) -Isrc/cli \
             $$(pkg-config --cflags $(PKGS)) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $$(pkg-config --libs $(PKGS)) -lm -lpthread
LDFLAGS_X  = $(OPT_$(FLAVOUR))

SRCS    = $(foreach d,$(STAGES),$(wildcard src/$(d)/*.c))
LIBOBJS = $(patsubst src/%.c,$(B)/%.o,$(filter-out src/cli/main.c,$(SRCS)))
TESTSRC = $(wildcard tests/test_*.c)
TESTBIN = $(patsubst tests/%.c,$(B)/tests/%,$(TESTSRC))

all: $(B)/llmcost llmcost $(B)/llmcost.1 $(B)/llmcost.bash

# The top-level ./llmcost is a link to the release build so README examples work.
llmcost: $(B)/llmcost
	@if [ "$(FLAVOUR)" = release ]; then ln -sf $(B)/llmcost llmcost; fi

$(B)/llmcost: $(B)/cli/main.o $(B)/libllmcost.a
	$(CC) $(LDFLAGS_X) $(LDFLAGS) -o $@ $(B)/cli/main.o $(B)/libllmcost.a $(LDLIBS_ALL)

# The manual page and the bash completion are generated from the command table
# (src/cli): `llmcost --man`, `llmcost --completion bash`.  `make man` copies the
# page to the tracked ./llmcost.1 (tests/help.py fails when that one is stale).
$(B)/llmcost.1: $(B)/llmcost
	$(B)/llmcost --man > $@.tmp && mv $@.tmp $@

$(B)/llmcost.bash: $(B)/llmcost
	$(B)/llmcost --completion bash > $@.tmp && mv $@.tmp $@

man: $(B)/llmcost.1
	cp $(B)/llmcost.1 llmcost.1

$(B)/libllmcost.a: $(LIBOBJS)
	rm -f $@ && ar rcs $@ $(LIBOBJS)

$(B)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The catalog is embedded into the binary with .incbin; rebuild when it changes.
$(B)/engine/catalog_data.o: src/engine/catalog.yaml
$(B)/engine/catalog_models_data.o: src/engine/catalog-models.yaml
$(B)/results/plot_templates.o: $(wildcard plots/*.gp)
# The tape's block loops are the hot path of every analysis: let them vectorise.
# (GCC flags: not for the clang build of make fuzz)
ifneq ($(FLAVOUR),fuzz)
$(B)/engine/expr.o: ALL_CFLAGS += -ftree-vectorize -fvect-cost-model=dynamic
endif

$(B)/tests/%: tests/%.c $(B)/libllmcost.a
	@mkdir -p $(B)/tests
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags cmocka) -o $@ $< $(B)/libllmcost.a \
	    $(LDFLAGS_X) $$(pkg-config --libs cmocka) $(LDLIBS_ALL)

# Every test a contributor needs to trust a change; ends with "N passed, N failed".
test: deps
	@$(MAKE) -s $(B)/llmcost $(TESTBIN)
	@sh tests/run.sh $(B)

check: $(B)/llmcost $(TESTBIN)
	@sh tests/run.sh $(B)

# llmcost mc end to end against a hand-written C loop and NumPy, threads, memory
# and the streaming sketch, each run a fresh process (tests/bench.c; about 2
# minutes).  BENCH_FULL=1 adds 1e9 samples with --stream (a few minutes more).
bench: $(B)/tests/bench $(B)/llmcost
	@$(B)/tests/bench tests/bench/chatgpt-2023-roofline.yaml $(B)/llmcost

# ASan's leak checker is on; sanitizer exit status 99 so a report never passes for
# an expected status (1..5).
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0 \
          UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

# Under the sanitizers every 3rd allocation fails in turn (FAULT_STRIDE): the
# full sweep is make faults.
asan:
	$(SAN_ENV) FAULT_STRIDE=3 $(MAKE) FLAVOUR=asan test faults

# The command-line tests with the binary under valgrind's memcheck: no errors, no leaks.
VALGRIND = valgrind --leak-check=full --errors-for-leak-kinds=definite,possible \
           --error-exitcode=99 --quiet
valgrind:
	@sh tests/install-deps.sh valgrind
	@$(MAKE) -s FLAVOUR=release build/release/llmcost
	@LLMCOST_WRAP="$(VALGRIND)" python3 tests/cli.py build/release/llmcost > build/valgrind.log; \
	    st=$$?; grep -v '^ok ' build/valgrind.log; exit $$st

# The startup + big-tech report opened in headless Chromium (tests/browser.py):
# every image decodes, nothing logs an error; a screenshot in build/browser/.
# make test runs it too when chromium is installed.
browser: $(B)/llmcost
	@sh tests/install-deps.sh chromium
	@CI=true python3 tests/browser.py $(B)/llmcost

# Allocation failure at every allocation, full disks and unwritable directories
# (tests/faults.sh) against llmcost-faults: the binary with tests/fault_alloc.c
# wrapped around malloc, calloc, realloc and free.
$(B)/fault_alloc.o: tests/fault_alloc.c
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/llmcost-faults: $(B)/cli/main.o $(B)/fault_alloc.o $(B)/libllmcost.a
	$(CC) $(LDFLAGS_X) $(LDFLAGS) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free \
	    -o $@ $(B)/cli/main.o $(B)/fault_alloc.o $(B)/libllmcost.a $(LDLIBS_ALL)

faults: deps
	@$(MAKE) -s $(B)/llmcost $(B)/llmcost-faults
	@sh tests/faults.sh $(B)

# Line and branch coverage of src/ by every test (gcovr); fails below the thresholds.
COV_LINES    ?= 90
COV_BRANCHES ?= 80
coverage:
	@sh tests/install-deps.sh gcovr
	@$(MAKE) -s FLAVOUR=cov build/cov/llmcost build/cov/llmcost-faults \
	    $(patsubst tests/%.c,build/cov/tests/%,$(TESTSRC))
	@find build/cov -name '*.gcda' -delete
	@sh tests/run.sh build/cov > build/cov/tests.log; st=$$?; tail -3 build/cov/tests.log; exit $$st
	@FAULT_STRIDE=3 sh tests/faults.sh build/cov > build/cov/faults.log; st=$$?; tail -1 build/cov/faults.log; exit $$st
	gcovr -r . --filter 'src/' --exclude-unreachable-branches --print-summary \
	    --txt build/cov/coverage.txt --fail-under-line $(COV_LINES) \
	    --fail-under-branch $(COV_BRANCHES) build/cov

# libFuzzer harnesses (tests/fuzz/) built with clang, ASan and UBSan, each run for
# FUZZ_SECONDS on a corpus seeded from scenarios/ and tests/bad/ in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZERS       = scenario expr run

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libllmcost.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(B)/libllmcost.a $(LDFLAGS_X) \
	    -fsanitize=fuzzer $(LDLIBS_ALL)

fuzz-build: $(patsubst %,$(B)/fuzz_%,$(FUZZERS))

fuzz:
	@sh tests/install-deps.sh clang libclang-rt-14-dev
	@$(MAKE) -s FLAVOUR=fuzz CC=$(FUZZ_CC) fuzz-build
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZERS)

demo: deps all
	./llmcost run scenarios/dgx-electricity.yaml
	./llmcost explain scenarios/dgx-electricity.yaml electricity.cost_per_server_day

# Installs the Debian packages the build, the tests and the charts need.
deps:
	@sh tests/install-deps.sh

BASH_COMPLETION_DIR = $(PREFIX)/share/bash-completion/completions

install: $(B)/llmcost $(B)/llmcost.1 $(B)/llmcost.bash
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(BASH_COMPLETION_DIR)
	cp $(B)/llmcost $(DESTDIR)$(PREFIX)/bin/llmcost
	cp $(B)/llmcost.1 $(DESTDIR)$(PREFIX)/share/man/man1/llmcost.1
	cp $(B)/llmcost.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/llmcost

format:
	clang-format -i src/*/*.c src/*/*.h include/*/*.h tests/*.c

clean:
	rm -rf build llmcost

help:
	@echo "make [all]     build ./llmcost (release, build/release)"
	@echo "make demo      install Debian packages, build, run the electricity scenario"
	@echo "make test      unit, command-line and bad-input tests"
	@echo "make asan      the tests and fault injection under AddressSanitizer + UBSan"
	@echo "make valgrind  the command-line tests under valgrind memcheck"
	@echo "make faults    allocation failures, full disk, unwritable chart folders"
	@echo "make browser   the report in headless Chromium (installs chromium)"
	@echo "make coverage  line and branch coverage of src/ (gcovr; fails below 90%/80%)"
	@echo "make fuzz      libFuzzer harnesses, FUZZ_SECONDS=$(FUZZ_SECONDS) each (clang)"
	@echo "make bench     mc against a C loop and NumPy; threads, memory, streaming"
	@echo "make man       regenerate ./llmcost.1 from the command table"
	@echo "make install   PREFIX=$(PREFIX) DESTDIR=$(DESTDIR): binary, man page, bash completion"

.PHONY: all test check bench asan valgrind faults coverage fuzz fuzz-build demo deps install format clean help llmcost man browser

-include $(wildcard $(B)/*/*.d $(B)/tests/*.d)
