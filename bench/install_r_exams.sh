#!/bin/sh
# Install R and the R package `exams` (R/exams, the peer of the Moodle row in bench/commands.py).
#
# Debian has R, pandoc and exams' R dependencies (knitr, rmarkdown, base64enc) but no
# r-cran-exams, and CRAN is unreachable here, so exams is built from its public sources
# (the CRAN mirror on GitHub, github.com/cran/exams) with `R CMD INSTALL`.
# Run as root:  sh bench/install_r_exams.sh [path of a checkout or tarball of cran/exams]
# Without an argument the sources are cloned from https://github.com/cran/exams.
# Took about 40 s here: r-base-core 14 s, pandoc + dependencies 16 s, R CMD INSTALL exams 10 s.
set -eu

export DEBIAN_FRONTEND=noninteractive
apt-get install -y r-base-core
# exams Imports knitr, rmarkdown, base64enc; exams2moodle's default converter (pandoc-mathjax) needs pandoc.
apt-get install -y --no-install-recommends pandoc r-cran-knitr r-cran-rmarkdown r-cran-base64enc

source_dir=${1:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -z "$source_dir" ]; then
    git clone --depth 1 https://github.com/cran/exams "$scratch/exams"
    source_dir="$scratch/exams"
elif [ -d "$source_dir" ] && [ -f "$source_dir/HEAD" ] && [ ! -f "$source_dir/DESCRIPTION" ]; then
    # a bare git directory (as the sandbox's fetch tool gives): export its tree
    mkdir "$scratch/exams"
    git --git-dir="$source_dir" archive HEAD | tar -x -C "$scratch/exams"
    source_dir="$scratch/exams"
fi
R CMD INSTALL "$source_dir"
Rscript -e 'cat("exams", as.character(packageVersion("exams")), "installed\n")'
