#!/usr/bin/env bash
# The device check for a GPU machine that has CUDA and CMake but no MPI or
# HDF5 (what a lent GPU machine has). Builds kernels/, the CUDA plugin and
# the hardware benchmarks alone (CLUSTERBENCH_KERNELS_ONLY), runs the kernel
# and CUDA backend tests, then a short stream/copy/flops/gemm check through
# clusterbench-device-check (hardware benchmarks; transformer and MLP
# inference at bert-base, gpt2-small and llama-layer shapes, bert-base also in
# float16 and bfloat16, also at batch 32; two co-located models and serving
# pools of 1-8 streams), and, where
# PyTorch is installed, the same operations through PyTorch interleaved with
# ours (A B A B) for comparison.
# Meant to finish in a few minutes.
#   launch/gpu-check.sh [BUILD_DIR]
# GoogleTest and fmt are taken from the system, else from $GTEST_SOURCE and
# $FMT_INCLUDE, else from .gpucheck/ in the checkout (a copy of Debian's
# /usr/src/googletest and /usr/include/fmt, made by `launch/gpu-check.sh
# --stage` on a Debian machine and never committed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="$root/.gpucheck"
if [[ "${1:-}" == "--stage" ]]; then  # run on the Debian development machine
  mkdir -p "$stage/include"
  cp -r /usr/src/googletest "$stage/"
  cp -r /usr/include/fmt "$stage/include/"
  for f in /usr/local/cuda/include/nccl.h /usr/local/cuda-13.0/include/nccl.h; do
    [[ -f $f ]] && cp "$f" "$stage/include/" && break
  done
  grep -qx '/.gpucheck/' "$root/.git/info/exclude" 2>/dev/null ||
    echo '/.gpucheck/' >>"$root/.git/info/exclude"
  du -sh "$stage"
  exit 0
fi
build="${1:-$root/build-gpu}"
export CUDACXX="${CUDACXX:-/usr/local/cuda/bin/nvcc}"
gtest="${GTEST_SOURCE:-}"; [[ -z $gtest && -d $stage/googletest ]] && gtest=$stage/googletest
fmtinc="${FMT_INCLUDE:-}"; [[ -z $fmtinc && -d $stage/include/fmt ]] && fmtinc=$stage/include

# NCCL: with the CUDA toolkit, else pip's nvidia-nccl (as PyTorch ships it).
nccl_args=()
if ! ls /usr/local/cuda/lib64/libnccl.so* >/dev/null 2>&1; then
  nccl_dir=$(python3 -c 'import nvidia.nccl as m; print(list(m.__path__)[0])' 2>/dev/null || true)
  if [[ -n $nccl_dir && -f $nccl_dir/lib/libnccl.so.2 ]]; then
    nccl_inc=$nccl_dir/include; [[ -f $nccl_inc/nccl.h ]] || nccl_inc=$stage/include
    nccl_args=(-DNCCL_LIBRARY="$nccl_dir/lib/libnccl.so.2" -DNCCL_INCLUDE_DIR="$nccl_inc")
  fi
fi

echo "== GPU"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv || true
start=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCLUSTERBENCH_KERNELS_ONLY=ON -DCLUSTERBENCH_WITH_CUDA=ON \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHS:-90}" \
  -DCLUSTERBENCH_GTEST_SOURCE="$gtest" -DCLUSTERBENCH_FMT_INCLUDE="$fmtinc" \
  "${nccl_args[@]}" >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
grep -E "clusterbench:" "$build.configure.log" || true
grep -h "define NCCL_M" "${nccl_inc:-/usr/local/cuda/include}/nccl.h" 2>/dev/null | tr '\n' ' ' || true
cmake --build "$build" -j "$(nproc)" 2>&1 | tail -n 3
echo "gpu-check: built in $(( $(date +%s) - start )) s"

echo "== unit tests (kernels, CUDA and NCCL backends)"
(cd "$build" && ctest --output-on-failure -j 4 2>&1 | tail -n 25) || status=1

echo "== device check (clusterbench-device-check, the benchmark classes)"
check="$build/clusterbench-device-check"
cases=(hardware.stream
  hardware.copy:direction=h2d,memory=pinned hardware.copy:direction=d2h,memory=pinned
  hardware.copy:direction=h2d,memory=pageable hardware.copy:direction=d2d
  hardware.copy:direction=h2d,size=1MiB
  hardware.flops:dtype=float32 hardware.flops:dtype=float64
  hardware.gemm:dtype=float64,n=8192 hardware.gemm:dtype=float32,n=8192
  hardware.gemm:dtype=tf32,n=8192 hardware.gemm:dtype=float16,n=8192
  hardware.gemm:dtype=bfloat16,n=8192
  "model.transformer:family=bert,layers=12,hidden=768,heads=12,ffn=3072,batch=8,seq=128"
  "model.transformer:family=bert,layers=12,hidden=768,heads=12,ffn=3072,batch=8,seq=128,dtype=float16"
  "model.transformer:family=bert,layers=12,hidden=768,heads=12,ffn=3072,batch=8,seq=128,dtype=bfloat16"
  "model.transformer:family=gpt2,layers=12,hidden=768,heads=12,ffn=3072,batch=1,seq=512,mode=decode"
  "model.transformer:family=gpt2,layers=12,hidden=768,heads=12,ffn=3072,batch=1,seq=512,mode=decode,dtype=float16"
  "model.transformer:family=llama,layers=1,hidden=2048,heads=32,kv_heads=4,ffn=5632,batch=8,seq=128"
  "model.mlp:widths=1024,4096,4096,1024,batch=2048"
  # Two models on two streams, and pools of 1-8 streams serving 8 clients.
  "cross_model.colocate:models=bert-base,gpt2-small,model_shapes=bert-base{family=bert,layers=12,hidden=768,heads=12,ffn=3072};gpt2-small{family=gpt2,layers=12,hidden=768,heads=12,ffn=3072},batch=8,seq=128")
for k in 1 2 4 8; do
  cases+=("resource_pool.serve:models=bert-base,model_shapes=bert-base{family=bert,layers=12,hidden=768,heads=12,ffn=3072},contexts=$k,clients=8,batch=8,seq=128")
done
for dtype in float32 float16 bfloat16; do  # batch 32: less bound by launches
  cases+=("model.transformer:family=bert,layers=12,hidden=768,heads=12,ffn=3072,batch=32,seq=128,dtype=$dtype")
done
cases+=(${EXTRA_CASES:-})
reference="$root/launch/gpu-reference.py"
have_torch=0
python3 -c "import torch; assert torch.cuda.is_available()" 2>/dev/null && have_torch=1
for round in 1 2; do  # interleaved with PyTorch: A B A B
  echo "-- round $round: clusterbench"
  "$check" --backend cuda --time "${CHECK_TIME:-1}" "${cases[@]}" || status=1
  if (( have_torch )); then
    echo "-- round $round: PyTorch"
    python3 "$reference" || true
  fi
done
echo "gpu-check: done in $(( $(date +%s) - start )) s, status ${status:-0}"
exit "${status:-0}"
