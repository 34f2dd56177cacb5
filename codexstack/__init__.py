"""codexstack: Kubernetes environments and per-issue dev-AI slots as Pulumi stacks.

The package is the library; the Typer CLI in ``cli/`` is a thin adapter over it. The pure
core (``yamlio``, ``templating``, ``config``, ``render``, ``plan``) needs neither Pulumi nor a
cluster; only ``components``, ``program`` and ``deploy`` import Pulumi, and they do so lazily
so that ``codexstack --help`` stays fast.
"""

__version__ = "0.1.0"
