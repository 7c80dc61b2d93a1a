# repro_mpi - the user's entry point.
#   make         install what is missing, build, run the whole paper, write output/
#   make test    install what is missing, build, run all tests
#   make install PREFIX=DIR   install the program, job files and man page
#   make test-slurm  submit the smoke run to a throw-away local Slurm (root)
#   make test-image  build the Docker recipe in a clean Debian root (root, slow)
#   make fuzz        run the libFuzzer targets of fuzz/ (clang), FUZZ_SECONDS each
#   make sanitize    the test suite under AddressSanitizer + UndefinedBehaviorSanitizer
# Knobs (as in the original experiments): SEED, REPEATS, N_THREADS; NP = MPI ranks;
# SEEDS = a sweep over several seeds in one run, e.g. SEEDS=9001-9010 (over SEED);
# PROFILE = named model settings (published, the default; squamish-2020-04;
# specification; docs/FIDELITY.md); SET = model parameters over the profile and the
# job files', e.g. SET="SQ.perc=70".
# An existing results file is resumed (only unfinished jobs run; the tables are
# made again); delete it, or set RESULTS=other.h5, to start afresh.
SEED      ?= 123
SEEDS     ?=
REPEATS   ?= 10
N_THREADS ?= 1
NP        ?= $(shell nproc 2>/dev/null || echo 1)
BUILD     ?= build
OUTPUT    ?= output
RESULTS   ?= results.h5
SANITIZE  ?= OFF
WERROR    ?= $(if $(CI),ON,OFF)
CTEST_J   ?= $(NP)
PREFIX    ?= /usr/local
SET       ?=
PROFILE   ?=
FUZZ_SECONDS ?= 30

MPIRUN = mpirun --oversubscribe -n $(NP)
export OMPI_ALLOW_RUN_AS_ROOT = 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = 1

.PHONY: all deps build test run paper sanitize fuzz clean install test-slurm test-image

all: paper

deps:
	@sh scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DSANITIZE=$(SANITIZE) -DWERROR=$(WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) -DSANITIZE=$(SANITIZE) -DWERROR=$(WERROR)
	cmake --build $(BUILD) -j $(NP)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(CTEST_J)

paper: build
	SEED=$(SEED) SEEDS=$(SEEDS) REPEATS=$(REPEATS) N_THREADS=$(N_THREADS) \
	  $(MPIRUN) $(BUILD)/repro_mpi paper -o $(RESULTS) --output $(OUTPUT) \
	  $(if $(PROFILE),--profile $(PROFILE)) $(foreach s,$(SET),--set $(s)) $(if $(wildcard $(RESULTS)),--resume)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A throw-away single-node Slurm on this machine runs slurm/submit.sh.
test-slurm: build
	@sh scripts/install-deps --slurm
	bash tests/slurm/run.sh $(BUILD)

# The Dockerfile's steps in a fresh debootstrap'ed Debian 12 (no Docker needed).
test-image:
	@sh scripts/install-deps --image
	bash scripts/image-check

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize:
	$(MAKE) test BUILD=build-sanitize SANITIZE=ON

# The libFuzzer targets (job files, data specs, CSV, results files),
# FUZZ_SECONDS each, built with clang in build-fuzz/ on the corpus in
# fuzz/corpus/ (the results target's seed file is written by the program).
fuzz:
	@sh scripts/install-deps --fuzz
	NP=$(NP) bash scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-sanitize build-fuzz
