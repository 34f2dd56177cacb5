"""The Automation API seam: stacks opened, locked, recovered, deployed and reported on.

``operations`` (apply, preview, destroy, refresh, render), ``retry`` (``ci apply``),
``status``, ``preflight`` and ``hooks`` are the entry points; ``engine`` (which ``pulumi``
binary and how it runs), ``state`` (backend, passphrase, work dirs), ``workspace`` (opening a
stack, tags), ``locks``/``recovery`` (busy stacks, crashed runs), ``interrupt`` (signals),
``progress``/``summary`` (events in, results out) and ``kube`` support them. Importing a
module here imports Pulumi: the CLI does so inside its commands.
"""
