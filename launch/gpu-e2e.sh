#!/usr/bin/env bash
# The real clusterbench binary, end to end, on a lent GPU machine: that
# machine has CUDA and PyTorch but no MPI or HDF5, so launch/gpu-check.sh
# can only drive the benchmark classes. This runs `clusterbench run` itself
# (detection, planning, the CUDA and NCCL plugins, HDF5, the Markdown
# summary) as one MPI rank.
#
#   launch/gpu-e2e.sh --stage BUILD_DIR   on the Debian development machine:
#       packs BUILD_DIR's clusterbench, its CUDA and NCCL plugins, Open MPI's
#       and PMIx's plugins and every library they load except glibc,
#       libstdc++ and CUDA's own into .e2e/bundle.tar.xz (about 18 MB; kept
#       out of git by .git/info/exclude; carry `.e2e` to the GPU machine).
#   launch/gpu-e2e.sh [OUT_DIR]           on the GPU machine: unpacks the
#       bundle and runs configs/gpu.toml, trimmed to about two minutes
#       (0.5 s per case, batch 8, fewer copy sizes) plus two CPU model cases
#       for the cross-hardware table, into OUT_DIR/gpu-e2e.h5 and .md.
#
# One rank without mpirun: Open MPI's isolated singleton mode starts no
# daemon (orted), and its plugins are read from the bundle.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$root/.e2e/bundle.tar.xz"
ompi_plugins=/usr/lib/x86_64-linux-gnu/openmpi/lib/openmpi3
pmix_plugins=/usr/lib/x86_64-linux-gnu/pmix2/lib/pmix

if [[ "${1:-}" == "--stage" ]]; then
  build="${2:?usage: launch/gpu-e2e.sh --stage BUILD_DIR}"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage"/{bin,lib,ompi,pmix}
  cp "$build"/clusterbench "$build"/libclusterbench-cuda.so \
    "$build"/libclusterbench-nccl.so "$stage/bin/"
  cp "$ompi_plugins"/*.so "$stage/ompi/"
  cp "$pmix_plugins"/*.so "$stage/pmix/"
  # The machine there brings its own C and C++ runtimes, CUDA and NCCL.
  for f in "$stage"/bin/* "$stage"/ompi/*.so "$stage"/pmix/*.so; do ldd "$f"; done |
    awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u |
    grep -vE '/(libc|libm|libstdc\+\+|libgcc_s|ld-linux-x86-64|libpthread|libdl|librt)\.so|libcuda|libcublas|libnccl' |
    xargs -I{} cp -L {} "$stage/lib/"
  mkdir -p "$root/.e2e"
  tar -C "$stage" -cJf "$bundle" .
  grep -qx '/.e2e/' "$root/.git/info/exclude" 2>/dev/null ||
    echo '/.e2e/' >>"$root/.git/info/exclude"
  du -sh "$bundle"
  exit 0
fi

[[ -f $bundle ]] || { echo "gpu-e2e: no $bundle (run --stage first)" >&2; exit 2; }
out="${1:-${OUT:-/tmp/gpu-e2e}}"
mkdir -p "$out"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tar -xJf "$bundle" -C "$dir"
nccl=$(python3 -c 'import nvidia.nccl as m; print(list(m.__path__)[0])' 2>/dev/null || true)
export LD_LIBRARY_PATH="$dir/lib:/usr/local/cuda/lib64${nccl:+:$nccl/lib}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMPI_MCA_mca_base_component_path="$dir/ompi" PMIX_MCA_mca_base_component_path="$dir/pmix"
export OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_mca_base_component_show_load_errors=0
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

suite="$out/gpu-e2e.toml"
sed -e 's/^max_time_s = .*/max_time_s = 0.5/' -e 's/^max_samples = .*/max_samples = 12/' \
  -e 's/^batch = \[1, 8\]/batch = 8/' -e 's/^seq = \[128, 1024\]/seq = 1024/' \
  -e 's/^sizes = "64KiB:256MiB:x16"/sizes = "64KiB:64MiB:x32"/' \
  "$root/configs/gpu.toml" >"$suite"
cat >>"$suite" <<'EOF'

# The same models on the node's CPU, for the summary's cross-hardware table.
[[benchmark]]
name = "model.transformer"
backend = "cpu"
preset = ["bert-base", "llama-layer"]
batch = 8
seq = 128
EOF
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
start=$(date +%s)
status=0
"$dir/bin/clusterbench" run "$suite" -o "$out/gpu-e2e.h5" --report md --timeout 60 || status=$?
echo "gpu-e2e: clusterbench run exited $status after $(($(date +%s) - start)) s"
exit "$status"
