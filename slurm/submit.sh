#!/bin/bash
# submit.sh - submits a repro_mpi run to Slurm, then its reduction, which
# starts when the run has ended, whatever its exit (--dependency=afterany),
# and reduces what finished, listing failed jobs. Prints both job ids.
#
# Usage: slurm/submit.sh [OPTIONS] [-- SBATCH_OPTIONS...]
#   -o, --output DIR      results (DIR/results.h5), tables, figures and logs (default: ./output)
#   -j, --jobs FILES      job files, comma-separated or repeated (paths or shipped
#                         names like 'smoke'; default: every shipped job but smoke)
#   -n, --ranks N         MPI ranks (default 16)
#   -c, --threads N       OpenMP threads per rank = --cpus-per-task (default: $N_THREADS, else 1)
#   -p, --partition NAME  partition (default: the cluster's default)
#   -t, --time T          time limit of the run, Slurm format (default 04:00:00)
#   -A, --account NAME    account to charge
#       --seed N          master seed (default: $SEED, else the job files', else 123)
#       --repeats N       repeats (default: $REPEATS, else the job files')
#       --set MODEL.key=value  a model parameter for every experiment running MODEL
#                         (repeatable; see 'repro_mpi run --help'), e.g. --set SQ.perc=100
#       --reduce-time T   time limit of the reduction (default 00:30:00)
#       --strict          fail the reduction when a table differs from the paper
#       --dry-run         print the sbatch commands instead of running them
#   -h, --help            this help
# Options after -- go to both sbatch calls (e.g. -- --qos=short --mail-type=END
# --mem-per-cpu=4G).
# The program is $REPRO_MPI, else the installed one next to these scripts
# (PREFIX/bin/repro_mpi for PREFIX/share/repro_mpi/slurm), else repro_mpi on
# PATH, else this tree's build/repro_mpi.
# Site setup: REPRO_SITE_SETUP=FILE is sourced at the start of both jobs
# (e.g. a file with `module load openmpi hdf5`).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "submit.sh: $*" >&2; exit 2; }

outdir=output ranks=16 threads=${N_THREADS:-1} partition= time=04:00:00 account=
seed=${SEED:-} repeats=${REPEATS:-} reduce_time=00:30:00 strict=0 dry=0
jobs=() extra=() sets=()
while [ "$#" -gt 0 ]; do
    opt=$1
    case "$opt" in
        -h|--help) usage; exit 0 ;;
        --dry-run) dry=1; shift; continue ;;
        --strict) strict=1; shift; continue ;;
        --) shift; extra=("$@"); break ;;
    esac
    [ "$#" -ge 2 ] || die "$opt needs a value (see --help)"
    val=$2; shift 2
    case "$opt" in
        -o|--output) outdir=$val ;;
        -j|--jobs) IFS=, read -r -a more <<<"$val"; jobs+=("${more[@]}") ;;
        -n|--ranks) ranks=$val ;;
        -c|--threads) threads=$val ;;
        -p|--partition) partition=$val ;;
        -t|--time) time=$val ;;
        -A|--account) account=$val ;;
        --seed) seed=$val ;;
        --repeats) repeats=$val ;;
        --set) [[ "$val" =~ ^[A-Za-z0-9_]+\.[A-Za-z0-9_]+=[^,[:space:]]+$ ]] \
                   || die "--set '$val': expected MODEL.key=value (e.g. SQ.perc=100)"
               sets+=("$val") ;;
        --reduce-time) reduce_time=$val ;;
        *) die "unknown option '$opt' (see --help)" ;;
    esac
done
for n in "$ranks" "$threads" ${seed:+"$seed"} ${repeats:+"$repeats"}; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "'$n' is not a whole number"
done
[ "$ranks" -ge 1 ] && [ "$threads" -ge 1 ] || die "--ranks and --threads must be at least 1"

# The program, as an absolute path the compute nodes can run.
if [ -z "${REPRO_MPI:-}" ]; then
    if [ "$(basename "$(dirname "$here")")" = repro_mpi ] && [ -x "$here/../../../bin/repro_mpi" ]; then
        REPRO_MPI=$here/../../../bin/repro_mpi
    elif command -v repro_mpi >/dev/null 2>&1; then REPRO_MPI=$(command -v repro_mpi)
    elif [ -x "$here/../build/repro_mpi" ]; then REPRO_MPI=$here/../build/repro_mpi
    else die "repro_mpi not found: put it on PATH, build it (make build) or set REPRO_MPI"; fi
fi
REPRO_MPI=$(cd "$(dirname "$REPRO_MPI")" && pwd)/$(basename "$REPRO_MPI")
[ "$dry" = 1 ] || [ -x "$REPRO_MPI" ] || die "REPRO_MPI=$REPRO_MPI is not executable"
if [ -n "${REPRO_SITE_SETUP:-}" ]; then
    [ -f "$REPRO_SITE_SETUP" ] || die "REPRO_SITE_SETUP=$REPRO_SITE_SETUP is not a file"
    REPRO_SITE_SETUP=$(cd "$(dirname "$REPRO_SITE_SETUP")" && pwd)/$(basename "$REPRO_SITE_SETUP")
    export REPRO_SITE_SETUP
fi

# Job files: existing paths become absolute; a name like 'smoke' is looked up
# among the shipped job files (`repro_mpi jobs`); anything else stays as given
# (and the run reports it).
abs_jobs=()
for j in "${jobs[@]+"${jobs[@]}"}"; do
    if [ -f "$j" ]; then
        abs_jobs+=("$(cd "$(dirname "$j")" && pwd)/$(basename "$j")")
    elif [[ "$j" != */* ]] && shipped=$("$REPRO_MPI" jobs 2>/dev/null | grep -m1 -e "/$j\$" -e "/$j\.ini\$"); then
        abs_jobs+=("$shipped")
    else
        abs_jobs+=("$j")
    fi
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
results=$outdir/results.h5

common=(--parsable)
[ -n "$partition" ] && common+=(--partition="$partition")
[ -n "$account" ] && common+=(--account="$account")
run_env="ALL,REPRO_MPI=$REPRO_MPI,N_THREADS=$threads${seed:+,SEED=$seed}${repeats:+,REPEATS=$repeats}"
# the settings travel as one variable, so a requeued start passes them again
[ "${#sets[@]}" -gt 0 ] && run_env+=",REPRO_SET=${sets[*]}"
run_cmd=(sbatch "${common[@]}" --export="$run_env"
         --ntasks="$ranks" --cpus-per-task="$threads" --time="$time"
         --output="$outdir/slurm-run-%j.out" "${extra[@]+"${extra[@]}"}"
         "$here/repro.sbatch" "$results" "${abs_jobs[@]+"${abs_jobs[@]}"}")
reduce_cmd=(sbatch "${common[@]}" --export="ALL,REPRO_MPI=$REPRO_MPI,STRICT=$strict" --time="$reduce_time"
            --output="$outdir/slurm-reduce-%j.out" "${extra[@]+"${extra[@]}"}")

if [ "$dry" = 1 ]; then
    printf '%q ' "${run_cmd[@]}"; echo
    printf '%q ' "${reduce_cmd[@]}" --dependency=afterany:RUN_JOB_ID "$here/reduce.sbatch" "$results" "$outdir"; echo
    exit 0
fi
run_id=$("${run_cmd[@]}")
run_id=${run_id%%;*}
[[ "$run_id" =~ ^[0-9]+$ ]] || die "sbatch did not return a job id for the run: $run_id"
reduce_id=$("${reduce_cmd[@]}" --dependency="afterany:$run_id" "$here/reduce.sbatch" "$results" "$outdir")
reduce_id=${reduce_id%%;*}
[[ "$reduce_id" =~ ^[0-9]+$ ]] || die "sbatch did not return a job id for the reduction: $reduce_id"
echo "run job: $run_id"
echo "reduce job: $reduce_id"
echo "results: $results; tables and figures: $outdir; logs: $outdir/slurm-*.out"
