"""The benchmark harness of nninvert: plain Python beside the package, which never imports it.

    python benchmarks/run.py            # the full run: benchmarks/results.json and nbs/images/classes10/
    python benchmarks/run.py --small    # the CI setting, under a minute

`nbs/08_benchmarks.ipynb` is the chapter that reads the results file and shows its tables and plots.

- `machine`: the machine a run measured, and the libraries' versions
- `measure`: seconds per call in this process; wall time and peak memory of a child process
- `subjects`: what is measured: the package's networks and methods, random networks for sweeps
- `methods`: the methods side by side: the empirical loop against one batch, every method,
  residual against time for the iterative ones
- `startup`: what a user waits for first: imports, `nninvert --help`, loading MNIST
- `training`: fitting the paper's two networks
- `scaling`: how each method's cost grows with width, depth and classes
- `reproduce`: `nninvert reproduce` end to end, its profile, its figure rows
- `harness`: the two settings, the sections, the whole run, the results file
- `show`: tables and sentences of a results file, for the chapter
- `plots`: plots of a results file, stored as small PNGs
"""
