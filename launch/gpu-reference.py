#!/usr/bin/env python3
"""The operations of launch/gpu-check.sh done by PyTorch on the same GPU, for
a side-by-side figure (validation, not a test): STREAM copy/triad on float64
arrays of 4x the L2 cache, host<->device copies of 64 MiB, square GEMMs of
n = 8192 in every precision, and bert-base inference (batch 8, seq 128) in float32,
float16 and bfloat16
with torch.nn.TransformerEncoder, no TF32. Each figure is the median over 20 timed calls
(CUDA events) after 3 warm-ups."""
import statistics
import torch

def timed(fn, reps=20, warm=3):
    for _ in range(warm):
        fn()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); b.synchronize()
        times.append(a.elapsed_time(b) / 1e3)
    return statistics.median(times)

dev = torch.device("cuda")
props = torch.cuda.get_device_properties(dev)
l2 = getattr(props, "L2_cache_size", 50 << 20)
n = max(4 * l2 // 8, 1 << 20)
a = torch.full((n,), 0.1, dtype=torch.float64, device=dev)
b = torch.full((n,), 0.2, dtype=torch.float64, device=dev)
c = torch.zeros(n, dtype=torch.float64, device=dev)
gb = 8 * n / 1e9
print(f"torch {torch.__version__} on {props.name}: stream arrays {8 * n >> 20} MiB")
print(f"  stream copy   {2 * gb / timed(lambda: c.copy_(a)):10.1f} GB/s")
print(f"  stream triad  {3 * gb / timed(lambda: torch.add(b, c, alpha=0.4, out=a)):10.1f} GB/s")
print(f"  stream dot    {2 * gb / timed(lambda: torch.dot(a, b).item()):10.1f} GB/s")
del a, b, c
size = 64 << 20
host = torch.empty(size, dtype=torch.uint8).pin_memory()
pageable = torch.empty(size, dtype=torch.uint8)
d = torch.empty(size, dtype=torch.uint8, device=dev)
print(f"  copy h2d pinned   {size / 1e9 / timed(lambda: d.copy_(host, non_blocking=True)):8.1f} GB/s")
print(f"  copy d2h pinned   {size / 1e9 / timed(lambda: host.copy_(d, non_blocking=True)):8.1f} GB/s")
print(f"  copy h2d pageable {size / 1e9 / timed(lambda: d.copy_(pageable)):8.1f} GB/s")
m = 8192
for name, dtype, tf32 in (("float64", torch.float64, False), ("float32", torch.float32, False),
                          ("tf32", torch.float32, True), ("float16", torch.float16, False),
                          ("bfloat16", torch.bfloat16, False)):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    x = torch.rand(m, m, dtype=dtype, device=dev) * 2 - 1
    y = torch.rand(m, m, dtype=dtype, device=dev) * 2 - 1
    z = torch.empty(m, m, dtype=dtype, device=dev)
    t = timed(lambda: torch.matmul(x, y, out=z), reps=10)
    print(f"  gemm {name:8s} n={m} {2 * m**3 / t / 1e12:8.1f} TFLOP/s")

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
layer = torch.nn.TransformerEncoderLayer(768, 12, 3072, dropout=0.0, activation="gelu",
                                         batch_first=True)
bert = torch.nn.TransformerEncoder(layer, 12, enable_nested_tensor=False).to(dev).eval()
tokens = torch.randn(8, 128, 768, device=dev)
with torch.inference_mode():
    t = timed(lambda: bert(tokens), reps=20)
flops = 12 * (2 * 8 * 128 * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * 2 * 8 * 128 * 128 * 768)
print(f"  bert-base fp32 b8 s128 {8 / t:8.1f} samples/s {flops / t / 1e12:6.1f} TFLOP/s")
for name, dtype in (("fp16", torch.float16), ("bf16", torch.bfloat16)):
    half = torch.nn.TransformerEncoder(layer, 12, enable_nested_tensor=False).to(
        dev, dtype).eval()
    with torch.inference_mode():
        t = timed(lambda: half(tokens.to(dtype)), reps=20)
    print(f"  bert-base {name} b8 s128 {8 / t:8.1f} samples/s {flops / t / 1e12:6.1f} TFLOP/s")
