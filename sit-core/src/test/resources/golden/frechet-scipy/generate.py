"""Fréchet distances computed exactly as ADM's evaluator (scipy.linalg.sqrtm, eps retry, real part).

Cases: full-rank covariances, singular covariances (fewer vectors than dimensions), one set
of identical vectors (a zero covariance), and an ill-conditioned pair. Run: python3 generate.py
(numpy 2.4, scipy 1.17).
"""
import json
import warnings

import numpy as np
from scipy import linalg


def adm_frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    retried = False
    if not np.isfinite(covmean).all():
        retried = True
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)), retried


rng = np.random.default_rng(20261205)
cases = {}
def add(name, a, b):
    np.save(f"{name}_a.npy", a.astype(np.float32))
    np.save(f"{name}_b.npy", b.astype(np.float32))
    a = a.astype(np.float32).astype(np.float64)
    b = b.astype(np.float32).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fid, retried = adm_frechet(a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False))
    cases[name] = {"fid": fid, "eps_retry": retried, "a": list(a.shape), "b": list(b.shape)}

add("full_rank", rng.normal(size=(300, 24)), rng.normal(0.3, 1.5, size=(280, 24)))
add("singular", rng.normal(size=(12, 40)), rng.normal(0.5, 2.0, size=(9, 40)))
add("identical_rows", np.repeat(rng.normal(size=(1, 16)), 20, axis=0), rng.normal(size=(25, 16)))
scale = np.logspace(-4, 2, 32)
add("ill_conditioned", rng.normal(size=(200, 32)) * scale, rng.normal(size=(150, 32)) * scale[::-1])
with open("expected.json", "w") as f:
    json.dump(cases, f, indent=1)
print(json.dumps(cases, indent=1))
