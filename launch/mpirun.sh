#!/usr/bin/env bash
# mpirun with what this kind of machine needs: Open MPI refuses root without
# these variables, and more ranks than cores needs --oversubscribe.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec mpirun --oversubscribe "$@"
