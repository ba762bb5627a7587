#!/usr/bin/env python3
"""Reference solvers for `haven-bench match`: solve one instance file with one solver and print
one JSON line: {"solver", "status", "seconds", "build_seconds", "cardinality", "weight",
"peak_rss_mb", "note"}.

Objective, as in Haven: match as many mentees as possible, then maximise the total score.

Solvers (one per process, so peak memory belongs to that solver):
  scipy      scipy.sparse.csgraph.min_weight_full_bipartite_matching (LAPJVsp), maximize=True.
             It needs a matching covering every mentee. On capacity instances each mentor is
             expanded into one column per place (a standard reduction, exact for this objective
             when such a matching exists: the generator plants one).
  ortools-lsa  OR-tools SimpleLinearSumAssignment (cost-scaling push-relabel). One-to-one square
             instances only, with a perfect matching.
  ortools-mcf  OR-tools SimpleMinCostFlow.solve_max_flow_with_min_cost: maximum flow first, then
             minimum cost; capacities and optional matching handled natively.

Only solve() is timed; building the solver's input is reported apart as build_seconds.
A missing package yields status "missing", never a crash.
"""
import argparse
import json
import resource
import sys
import time

MAGIC = b"HAVNMTC1"


def read_instance(path):
    import numpy as np

    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path} is not a Haven matching instance")
    n_left, n_right, n_edges = np.frombuffer(data, dtype="<u8", count=3, offset=8)
    n_left, n_right, n_edges = int(n_left), int(n_right), int(n_edges)
    at = 32
    caps = np.frombuffer(data, dtype="<u4", count=n_right, offset=at)
    at += 4 * n_right
    row_start = np.frombuffer(data, dtype="<u8", count=n_left + 1, offset=at).astype(np.int64)
    at += 8 * (n_left + 1)
    cols = np.frombuffer(data, dtype="<u4", count=n_edges, offset=at).astype(np.int64)
    at += 4 * n_edges
    weights = np.frombuffer(data, dtype="<i8", count=n_edges, offset=at)
    rows = np.repeat(np.arange(n_left, dtype=np.int64), np.diff(row_start))
    return n_left, n_right, caps, rows, cols, weights


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def solve_scipy(inst):
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n_left, n_right, caps, rows, cols, weights = inst
    t0 = time.perf_counter()
    note = ""
    if np.all(caps == 1):
        slot_owner = np.arange(n_right)
        m_rows, m_cols, m_w = rows, cols, weights
    else:
        # One column per place: mentor j owns columns first[j] .. first[j] + caps[j] - 1.
        first = np.concatenate(([0], np.cumsum(caps)[:-1])).astype(np.int64)
        slot_owner = np.repeat(np.arange(n_right), caps)
        copies = caps[cols].astype(np.int64)
        m_rows = np.repeat(rows, copies)
        m_w = np.repeat(weights, copies)
        edge_first = np.repeat(first[cols], copies)
        offset = np.arange(len(m_rows)) - np.repeat(np.cumsum(copies) - copies, copies)
        m_cols = edge_first + offset
        note = f"capacities expanded to {int(caps.sum())} columns, {len(m_rows)} edges"
    n_cols = len(slot_owner)
    matrix = csr_matrix((m_w.astype(np.float64), (m_rows, m_cols)), shape=(n_left, n_cols))
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        row_ind, col_ind = min_weight_full_bipartite_matching(matrix, maximize=True)
    except ValueError as e:
        return {"status": "error", "note": f"no full matching: {e}", "build_seconds": build}
    seconds = time.perf_counter() - t0
    weight = int(np.rint(np.asarray(matrix[row_ind, col_ind]).ravel().sum()))
    return {"status": "ok", "seconds": seconds, "build_seconds": build,
            "cardinality": int(len(row_ind)), "weight": weight, "note": note}


def solve_ortools_lsa(inst):
    import numpy as np
    from ortools.graph.python import linear_sum_assignment

    n_left, n_right, caps, rows, cols, weights = inst
    if n_left != n_right or not np.all(caps == 1):
        return {"status": "skipped", "note": "needs a square one-to-one instance"}
    t0 = time.perf_counter()
    lsa = linear_sum_assignment.SimpleLinearSumAssignment()
    lsa.add_arcs_with_cost(rows, cols, -weights)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    status = lsa.solve()
    seconds = time.perf_counter() - t0
    if status != lsa.OPTIMAL:
        return {"status": "error", "note": f"solver status {status}", "build_seconds": build}
    return {"status": "ok", "seconds": seconds, "build_seconds": build,
            "cardinality": int(lsa.num_nodes()), "weight": int(-lsa.optimal_cost())}


def solve_ortools_mcf(inst):
    import numpy as np
    from ortools.graph.python import min_cost_flow

    n_left, n_right, caps, rows, cols, weights = inst
    source, sink = n_left + n_right, n_left + n_right + 1
    t0 = time.perf_counter()
    mcf = min_cost_flow.SimpleMinCostFlow()
    left = np.arange(n_left, dtype=np.int64)
    right = np.arange(n_right, dtype=np.int64)
    tails = np.concatenate([np.full(n_left, source), rows, n_left + right])
    heads = np.concatenate([left, n_left + cols, np.full(n_right, sink)])
    capacities = np.concatenate([np.ones(n_left, np.int64), np.ones(len(rows), np.int64),
                                 caps.astype(np.int64)])
    costs = np.concatenate([np.zeros(n_left, np.int64), -weights, np.zeros(n_right, np.int64)])
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    mcf.set_node_supply(source, n_left)
    mcf.set_node_supply(sink, -n_left)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    status = mcf.solve_max_flow_with_min_cost()
    seconds = time.perf_counter() - t0
    if status != mcf.OPTIMAL:
        return {"status": "error", "note": f"solver status {status}", "build_seconds": build}
    return {"status": "ok", "seconds": seconds, "build_seconds": build,
            "cardinality": int(mcf.maximum_flow()), "weight": int(-mcf.optimal_cost())}


SOLVERS = {"scipy": solve_scipy, "ortools-lsa": solve_ortools_lsa, "ortools-mcf": solve_ortools_mcf}
NEEDS = {"scipy": "scipy", "ortools-lsa": "ortools", "ortools-mcf": "ortools"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--solver", choices=sorted(SOLVERS), required=True)
    args = parser.parse_args()
    result = {"solver": args.solver}
    try:
        import numpy  # noqa: F401
        __import__(NEEDS[args.solver])
    except ImportError as e:
        result.update(status="missing", note=f"{e}; install with: pip install scipy ortools")
        print(json.dumps(result))
        return 0
    inst = read_instance(args.instance)
    result.update(SOLVERS[args.solver](inst))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
