/* main.c - repro_mpi's entry point. */
#include "repro/cli.h"

int main(int argc, char **argv)
{
    return repro_cli_main(argc, argv);
}
