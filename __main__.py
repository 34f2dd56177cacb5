"""Plain ``pulumi up -s <stack>``: the same program the codexstack CLI runs inline.

The stack's settings (services.yaml, env, slot, cluster) come from stacks/Pulumi.<stack>.yaml;
see codexstack/program/entry.py. The CLI (``codexstack apply``) is the usual way: it adds
hooks, locks, crash recovery and filters around the same program.
"""

from codexstack.program.entry import main

main()
