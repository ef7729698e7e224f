"""bench_numpy.py — the serving chain of tests/bench.c in NumPy (tests/bench/chatgpt-2023-roofline.yaml).

Called by `make bench` as: python3 tests/bench_numpy.py N PARAMS_JSON, where
PARAMS_JSON holds the constants and the distributions' parameters that
bench.c read from the scenario (base units).  Draws the 11 inputs, computes
the same 3 metrics and their mean, sd and P5..P95, as `llmcost mc` does, and
prints one line of numbers for bench.c to check against its own.
"""
import json
import sys

import numpy as np


def draw(rng, d, n):
    kind = d["kind"]
    if kind == "lognormal":
        return np.exp(d["mu"] + d["sigma"] * rng.standard_normal(n))
    if kind == "pert":
        return d["lo"] + (d["hi"] - d["lo"]) * rng.beta(d["alpha"], d["beta"], n)
    if kind == "normal":  # truncated at 0: redraw the rare negative value
        x = rng.normal(d["mean"], d["sd"], n)
        bad = x < 0
        while bad.any():
            x[bad] = rng.normal(d["mean"], d["sd"], bad.sum())
            bad = x < 0
        return x
    if kind == "triangular":
        return rng.triangular(d["lo"], d["mode"], d["hi"], n)
    if kind == "uniform":
        return rng.uniform(d["lo"], d["hi"], n)
    if kind == "discrete":
        return rng.choice(np.array(d["values"]), n, p=np.array(d["p"]))
    raise ValueError(kind)


def main():
    n = int(sys.argv[1])
    p = json.loads(sys.argv[2])
    k, ds = p["consts"], p["dists"]
    rng = np.random.default_rng(1)
    (rent, pue, price, users, qpu, tin, tout, peak, util, bwu, batch) = (
        draw(rng, d, n) for d in ds)
    qpd = users * qpu
    tps = qpd * (tin + tout)
    weight = k["params"] * k["bytes_per_param"]
    kvreq = k["kv_per_token"] * k["ctx"]
    gpr = np.ceil((weight + batch * kvreq) / (k["mem"] * k["mem_util"]))
    gc = tps * peak * 2 * k["params"] * k["flop_per_token"] / (k["peak"] * util)
    gb = qpd * tout * peak * (weight / batch + kvreq) / (k["bw"] * bwu)
    m = np.maximum(np.maximum(gc, gb), gpr)
    gpus = np.ceil(m / gpr) * gpr
    out = [gpus, gpus * rent,
           k["server_power"] * pue * k["hours"] * price / k["day"] * k["servers"]]
    line = []
    for y in out:
        q = np.percentile(y, [5, 25, 50, 75, 95])  # linear: as GSL's
        line += [y.mean(), y.std(ddof=1)] + list(q)
    print(" ".join("%.6g" % v for v in line))


main()
