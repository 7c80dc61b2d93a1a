# repro_mpi in a container: the whole paper, the same experience as the
# original experiment suite:
#   docker build -t repro_mpi .
#   docker run --rm -v "$PWD/output:/exp/output" repro_mpi
# Knobs: -e SEED=123 -e REPEATS=10 -e N_THREADS=1 -e NP=<MPI ranks, default: all CPUs>.
# The build steps are the same as CI's (Makefile targets deps, build, install);
# tests/e2e_recipes.sh checks that they do not drift apart, and
# `make test-image` runs these steps in a fresh Debian root.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="repro_mpi" \
      org.opencontainers.image.description="Reproduces Pfannschmidt & Hammer (2020), Sequential Feature Classification in the Context of Redundancies, with MPI" \
      org.opencontainers.image.licenses="MIT"
ENV DEBIAN_FRONTEND=noninteractive
# The dependencies first, from the one script alone: a source edit then
# reuses this layer instead of reinstalling the packages.
COPY scripts/install-deps /src/scripts/install-deps
WORKDIR /src
RUN sh scripts/install-deps && rm -rf /var/lib/apt/lists/*
# .dockerignore keeps local build outputs (build*/, Testing/, *.h5) out.
COPY . /src
RUN cmake -S . -B build -DSANITIZE=OFF -DWERROR=OFF \
 && cmake --build build -j "$(nproc)" \
 && cmake --install build --prefix /usr/local \
 && rm -rf build
RUN useradd --create-home --shell /bin/sh repro \
 && mkdir -p /exp/output \
 && chown -R repro:repro /exp
USER repro
WORKDIR /exp
VOLUME /exp/output
ENV SEED=123 REPEATS=10 N_THREADS=1 \
    OMPI_MCA_btl_vader_single_copy_mechanism=none
CMD ["repro_mpi-paper", "/exp/output"]
