#!/usr/bin/env python3
"""GPU check of a published recsys version, with PyTorch only (no JVM, no other packages).

1. Correctness: the version's TorchScript ranking model (ranking.pt) is loaded with torch.jit.load on
   the CPU and on CUDA; both must give the same scores as each other and as the tensors the server
   reads (ranking.safetensors, parsed here without the safetensors package), for random user/movie
   pairs. Then the server's own top-k, done on the device: scores of a batch of users against every
   movie (item biases added), masked on the device as the server masks (their rated movies from
   users.safetensors by position, every other user limited to one genre by a product with 0/1 genre
   rows), torch.topk on the device, only k indices per user copied back; they must equal the same
   computation on the CPU.
2. Throughput: batched score + the same mask (100 excluded movies per request, a genre for every
   other one) + top-10 over synthetic factor-like catalogues of 100k, 1M and
   10M movies (dim of the version) at batch sizes 1 to 256, timed with CUDA events; beside each row,
   the device's memory-bandwidth limit measured in the same run (a device-to-device copy of the
   movie matrix), as the share of it the kernel reaches.

Usage: python3 bench/gpu/check.py --registry bench-registry [--model movielens] [--version N] [--out docs/results/gpu]
Runs in well under 5 minutes on one H100/H200-class GPU. Exit code 1 when a correctness check fails.
--device cpu runs the same steps without a GPU, to try the script (its "device" is then the CPU, so the
device checks compare the CPU with itself and the figures are the CPU's), e.g. with --sizes 10000,100000.
"""
import argparse
import json
import math
import os
import platform
import struct
import sys
import time

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    """Every tensor of a safetensors file, as CPU tensors (the format: u64 header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = memoryview(data)[8 + n:]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        dtype = DTYPES[meta["dtype"]]
        t = torch.frombuffer(bytearray(body[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(meta["shape"])
    return out


def version_dir(registry, model, version):
    if version is None:
        with open(os.path.join(registry, model, "aliases", "production.json")) as f:
            version = json.load(f)["version"]
    return os.path.join(registry, model, str(version)), version


def check_version(vdir, device, failures):
    """Correctness checks against one published version; returns (users, items, dim)."""
    tensors = read_safetensors(os.path.join(vdir, "ranking.safetensors"))
    user_emb, item_emb = tensors["user_emb"], tensors["item_emb"]
    user_bias, item_bias = tensors["user_bias"], tensors["item_bias"]
    global_bias = float(tensors["global_bias"].reshape(-1)[0]) if "global_bias" in tensors else 0.0
    users, dim = user_emb.shape
    items = item_emb.shape[0]
    print(f"version {vdir}: {users:,} users, {items:,} movies, dim {dim}")

    cpu_model = torch.jit.load(os.path.join(vdir, "ranking.pt"), map_location="cpu").eval()
    gpu_model = torch.jit.load(os.path.join(vdir, "ranking.pt"), map_location=device).eval()
    g = torch.Generator().manual_seed(7)
    u = torch.randint(0, users, (4096,), generator=g)
    i = torch.randint(0, items, (4096,), generator=g)
    with torch.no_grad():
        on_cpu = cpu_model(u, i)
        on_gpu = gpu_model(u.to(device), i.to(device)).cpu()
    from_tensors = (user_emb[u] * item_emb[i]).sum(1) + user_bias[u] + item_bias[i] + global_bias
    for name, got in ((f"TorchScript on {device.type}", on_gpu), ("safetensors arithmetic", from_tensors)):
        err = (got - on_cpu).abs().max().item()
        ok = torch.allclose(got, on_cpu, rtol=1e-4, atol=1e-4)
        print(f"  {name} vs TorchScript on CPU: max |diff| {err:.2e} {'ok' if ok else 'FAILED'}")
        if not ok:
            failures.append(f"{name} differs from the CPU by {err}")

    # The server's top-k on the device: rated movies masked, only k indices come back.
    rated = read_safetensors(os.path.join(vdir, "users.safetensors"))
    offsets, movies = rated["offsets"].long(), rated["movies"].long()
    batch = torch.arange(0, min(users, 64))
    k = 10
    host = topk_masked(user_emb[batch], item_emb, item_bias, offsets, movies, batch, k)
    dev = topk_masked(user_emb[batch].to(device), item_emb.to(device), item_bias.to(device), offsets, movies, batch, k).cpu()
    same = torch.equal(host, dev)
    if not same:
        # Equal scores may be ordered differently; compare the sets of selected movies instead.
        same = all(set(a.tolist()) == set(b.tolist()) for a, b in zip(host, dev))
    print(f"  top-{k} with rated movies masked, {len(batch)} users, on the device vs the CPU: {'same movies' if same else 'FAILED'}")
    if not same:
        failures.append("device top-k differs from the CPU's")
    return users, items, dim


def masked(scores, wanted, genre_rows, positions):
    """The server's device mask (BatchedScoring.DeviceMatrix.masked): a movie a request does not accept scores -inf.

    genre_rows: one 0/1 row per genre plus a last row of ones; wanted: per request, 1 for each genre asked for, or
    1 in the last column when any genre will do; positions: flattened (request * movies + movie) of excluded movies.
    """
    accepted = (wanted @ genre_rows) > 0.5
    scores = torch.where(accepted, scores, torch.tensor(float("-inf"), device=scores.device))
    if positions.numel():
        flat = scores.reshape(-1).put(positions, torch.full((positions.numel(),), float("-inf"), device=scores.device))
        scores = flat.reshape(scores.shape)
    return scores


def topk_masked(user_vectors, item_emb, item_bias, offsets, movies, batch, k):
    """Scores (bias + dot) of a batch against every movie, each user's rated movies out and every other user
    limited to one synthetic genre (a tenth of the catalogue), masked as the server masks, top k indices."""
    device = user_vectors.device
    n = item_emb.shape[0]
    scores = torch.addmm(item_bias.unsqueeze(0).expand(len(batch), -1).to(device), user_vectors, item_emb.t().to(device))
    genre_rows = torch.stack([torch.arange(n) % 10 == 0, torch.ones(n, dtype=torch.bool)]).float().to(device)
    wanted = torch.tensor([[1.0, 0.0] if r % 2 else [0.0, 1.0] for r in range(len(batch))], device=device)
    positions = torch.cat([r * n + movies[offsets[u]:offsets[u + 1]] for r, u in enumerate(batch.tolist())]).to(device)
    return torch.topk(masked(scores, wanted, genre_rows, positions), k, dim=1).indices


def factor_like(n, dim, rank, g, device):
    """Movies in a shared low-rank taste space plus noise, log-normal lengths (like trained factors)."""
    basis = torch.randn(rank, dim, generator=g) / math.sqrt(rank)
    out = torch.empty(n, dim, device=device)
    step = 1_000_000
    for s in range(0, n, step):
        m = min(step, n - s)
        latent = torch.randn(m, rank, generator=g)
        length = torch.exp(0.5 * torch.randn(m, 1, generator=g))
        out[s:s + m] = (0.1 * length * (latent @ basis) + 0.01 * torch.randn(m, dim, generator=g)).to(device)
    return out


def timed(fn, reps, device):
    if device.type != "cuda":
        fn()
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - start) / reps
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    fn()
    torch.cuda.synchronize()
    start.record()
    for _ in range(reps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / reps / 1e3  # seconds per call


def throughput(dim, device, sizes, batches, k):
    g = torch.Generator().manual_seed(11)
    rows = []
    for n in sizes:
        items = factor_like(n, dim, 8, g, device)
        bias = (0.05 * torch.randn(n, generator=g)).to(device)
        genres = 20
        genre_rows = torch.cat([(torch.rand(genres, n, generator=g) < 0.1).float(), torch.ones(1, n)]).to(device)
        matrix_bytes = n * (dim + 1) * 4 + genre_rows.numel() * 4
        copy = torch.empty_like(items)
        # The bandwidth limit of this device in this run: a copy reads and writes the matrix once.
        copy_s = timed(lambda: copy.copy_(items), 20, device)
        bandwidth = 2 * n * dim * 4 / copy_s
        for b in batches:
            users = (0.1 * torch.randn(b, dim, generator=g)).to(device)
            # 100 excluded movies per request; every other request asks for one genre.
            positions = (torch.arange(b).unsqueeze(1) * n + torch.randint(0, n, (b, 100), generator=g)).reshape(-1).to(device)
            wanted = torch.zeros(b, genres + 1)
            for r in range(b):
                wanted[r, r % genres if r % 2 else genres] = 1.0
            wanted = wanted.to(device)

            def step():
                scores = torch.addmm(bias.unsqueeze(0).expand(b, -1), users, items.t())
                return torch.topk(masked(scores, wanted, genre_rows, positions), k, dim=1).indices

            reps = max(5, min(200, int(2e10 / max(1, n * b))))
            s = timed(step, reps, device)
            # Bytes the kernel must move at least: the matrix once per batch, the scores written and read by top-k.
            moved = matrix_bytes + 2 * 4 * n * b
            rows.append({"movies": n, "dim": dim, "batch": b, "ms_per_batch": s * 1e3, "users_per_s": b / s,
                         "us_per_user": s / b * 1e6, "gb_per_s": moved / s / 1e9, "bandwidth_gb_per_s": bandwidth / 1e9,
                         "share_of_bandwidth": moved / s / bandwidth})
            print(f"  {n:>10,} movies  batch {b:>3}: {s * 1e3:8.3f} ms/batch  {b / s:>12,.0f} users/s  "
                  f"{moved / s / 1e9:8.1f} GB/s ({moved / s / bandwidth:5.1%} of the {bandwidth / 1e9:,.0f} GB/s copy limit)")
        del items, copy, bias, genre_rows
        if device.type == "cuda":
            torch.cuda.empty_cache()
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--registry", required=True)
    p.add_argument("--model", default="movielens")
    p.add_argument("--version", type=int)
    p.add_argument("--out", default="reports/gpu")
    p.add_argument("--sizes", default="100000,1000000,10000000")
    p.add_argument("--batches", default="1,4,16,64,256")
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda",
                   help="cpu: try the script without a GPU (device checks then compare the CPU with itself)")
    args = p.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("no CUDA device visible to PyTorch: this check needs a GPU machine (--device cpu tries the script without one)",
              file=sys.stderr)
        return 2
    device = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False  # scores in full fp32, as the CPU kernel computes them
    started = time.time()
    failures = []
    vdir, version = version_dir(args.registry, args.model, args.version)
    _, _, dim = check_version(vdir, device, failures)
    print("batched score + mask + top-10 (synthetic factor-like catalogues):")
    rows = throughput(dim, device, [int(x) for x in args.sizes.split(",")], [int(x) for x in args.batches.split(",")], 10)
    os.makedirs(args.out, exist_ok=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "device": torch.cuda.get_device_name(0) if device.type == "cuda" else f"CPU ({platform.processor() or platform.machine()}, {os.cpu_count()} threads)",
              "torch": torch.__version__,
              "cuda": torch.version.cuda, "host": platform.node(), "version": version, "failures": failures, "rows": rows,
              "seconds": time.time() - started}
    with open(os.path.join(args.out, "gpu-check.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"{'FAILED: ' + '; '.join(failures) if failures else 'all checks passed'} in {time.time() - started:.0f} s; "
          f"report in {args.out}/gpu-check.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
