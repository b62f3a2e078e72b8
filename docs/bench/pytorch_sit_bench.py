"""The reference side of `sit bench`: SiT-S/2 (or any size) training and forward steps in PyTorch.

The network is the reference's (DiT backbone, SIT-SPEC.md section 8: adaLN-Zero blocks, timm-style
attention and tanh-GELU MLP, sin-cos position embedding), trained as the reference's train.py does
(AdamW lr 1e-4, linear path, velocity loss, uniform t, label dropout 0.1), on random latents: timing
and memory do not depend on the data. Prints the same figures as `sit bench`; run it under
`/usr/bin/time -v` for the peak resident memory. Needs torch (Debian: python3-torch).

  /usr/bin/time -v python3 docs/bench/pytorch_sit_bench.py --hidden 384 --depth 12 --heads 6 --patch 2 \\
      --latent 32 --batch 8 --steps 10 --warmup 2 --forward-steps 3
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def modulate(x, shift, scale):
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class TimestepEmbedder(nn.Module):
    def __init__(self, d, freq=256):
        super().__init__()
        self.freq = freq
        self.mlp = nn.Sequential(nn.Linear(freq, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, t):
        half = self.freq // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None].float() * freqs[None]
        return self.mlp(torch.cat([torch.cos(args), torch.sin(args)], dim=-1))


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.scale = (d // heads) ** -0.5
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.attn = Attention(d, heads)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.ada = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))

    def forward(self, x, c):
        s1, sc1, g1, s2, sc2, g2 = self.ada(c).chunk(6, dim=1)
        x = x + g1.unsqueeze(1) * self.attn(modulate(self.norm1(x), s1, sc1))
        h = self.fc2(F.gelu(self.fc1(modulate(self.norm2(x), s2, sc2)), approximate="tanh"))
        return x + g2.unsqueeze(1) * h


class SiT(nn.Module):
    def __init__(self, size, channels, patch, d, depth, heads, classes=1000, learn_sigma=True):
        super().__init__()
        self.p, self.c, self.out = patch, channels, channels * (2 if learn_sigma else 1)
        self.embed = nn.Conv2d(channels, d, patch, patch)
        g = size // patch
        self.register_buffer("pos", torch.zeros(1, g * g, d))  # fixed in the reference; values irrelevant here
        self.t_emb = TimestepEmbedder(d)
        self.y_emb = nn.Embedding(classes + 1, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.ada = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.final = nn.Linear(d, patch * patch * self.out)

    def forward(self, x, t, y):
        n, _, h, w = x.shape
        x = self.embed(x).flatten(2).transpose(1, 2) + self.pos
        c = self.t_emb(t) + self.y_emb(y)
        for block in self.blocks:
            x = block(x, c)
        shift, scale = self.ada(c).chunk(2, dim=1)
        x = self.final(modulate(self.norm(x), shift, scale))
        gh, gw, p = h // self.p, w // self.p, self.p
        x = x.reshape(n, gh, gw, p, p, self.out)
        x = torch.einsum("nhwpqc->nchpwq", x).reshape(n, self.out, gh * p, gw * p)
        return x[:, : self.c]


def rss_gb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1e6
    return float("nan")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--hidden", type=int, default=384)
    a.add_argument("--depth", type=int, default=12)
    a.add_argument("--heads", type=int, default=6)
    a.add_argument("--patch", type=int, default=2)
    a.add_argument("--latent", type=int, default=32)
    a.add_argument("--channels", type=int, default=4)
    a.add_argument("--batch", type=int, default=8)
    a.add_argument("--steps", type=int, default=10)
    a.add_argument("--warmup", type=int, default=2)
    a.add_argument("--forward-steps", type=int, default=3)
    args = a.parse_args()
    torch.manual_seed(0)
    model = SiT(args.latent, args.channels, args.patch, args.hidden, args.depth, args.heads)
    n = args.batch
    x1 = torch.randn(n, args.channels, args.latent, args.latent)
    y = torch.randint(0, 1000, (n,))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"{sum(p.numel() for p in model.parameters()):,} parameters; batch {n}")

    def timed(label, fn, count):
        for _ in range(args.warmup):
            fn()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        mean = sum(times) / len(times)
        print(f"{label}: mean {mean * 1000:.0f} ms, best {min(times) * 1000:.0f} ms over {count} steps: "
              f"{n / mean:.2f} images/s; peak resident {rss_gb():.2f} GB")

    def forward():
        with torch.no_grad():
            model(x1, torch.rand(n), y)

    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0)

    def train():
        x0 = torch.randn_like(x1)
        t = torch.rand(n)
        xt = t[:, None, None, None] * x1 + (1 - t[:, None, None, None]) * x0
        labels = torch.where(torch.rand(n) < 0.1, torch.full_like(y, 1000), y)
        loss = ((model(xt, t, labels) - (x1 - x0)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    model.eval()
    timed("forward   ", forward, args.forward_steps)
    if args.steps > 0:  # --steps 0: forward only, as `sit bench --steps 0`
        model.train()
        timed("train step", train, args.steps)


if __name__ == "__main__":
    main()
