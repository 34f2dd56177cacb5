"""The differential corpus: YAML texts on which codexstack must behave exactly like yaml.v3.

Hand-written cases cover every quoting rule of the reference (§4.5), scalar resolution
(numbers, dates, booleans, tags), structure (nesting, empty collections, anchors, merges,
multi-document streams, errors), key order and realistic manifests; ``generated.py`` adds
seeded random documents and number probes.
"""

from __future__ import annotations

import json
import random


def words(text: str) -> list[str]:
    """Whitespace-separated words of a block of text (keeps long word lists compact)."""
    return text.split()


TRICKY_STRINGS = [
    *words(
        r"""
true True TRUE false False FALSE tRue yes Yes YES no No NO on On ON off Off OFF y Y n N null
Null NULL nUll ~ 0 1 -1 +1 012 0x10 0X1F 0o17 0O17 0b101 1_000 1e3 1.0 .5 -.5 +.5 .inf .Inf
-.inf +.inf .nan .NaN NaN inf -inf 1:20 -1:20 +1:20 1:20:30.5 190:20:30 1:60 1_0:20 0777 08
09.5 1__0 _1 1_ 12e 1e e3 0x 0b 0o 0x1G 2024-01-01 2024-1-1 2024-13-01 2024-02-30 2023-02-29
2024-02-29 0000-01-01 2024-01-01T10:00:00Z 2024-01-01t10:00:00+05:30 2024-01-01T10:00:00
2024-01-01T10:00:00.5-07:00 - ? : -x :x ?q a:b a,b a#b a%b = << a\b -- --x .. ... ---- a---
@a `a %a [a] {a} a[b] a{b} a]b &a *a !a |a >a 'a "a a'b a"b ,a #a a# .a ~a é 日本語 😀 a😀b Ωmega
ñ ß a:
"""
    ),
    "2024-01-01 10:00:00",
    "2001-12-14 21:59:43.10 -5",
    "? x",
    "- x",
    ": x",
    "a: b",
    "a :",
    "a #b",
    "a# b",
    " a",
    "a ",
    " ",
    "  ",
    "a  b",
    "a\tb",
    "\t",
    "a\t",
    "a\nb",
    "a\n",
    "a\n\n",
    "a\n\n\n",
    "\na",
    "\n",
    "\n\n",
    "a \nb",
    "a\n b",
    "a\n\nb",
    " a\nb\n",
    "a\nb ",
    "a\tb\n",
    "--- a",
    "... a",
    "---\n",
    "a\n---\nkind: ClusterRoleBinding\n",
    "\u2028",
    "a\u2028b",
    "a\u2029",
    "a\u2028\nb",
    "\x00",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "a\x85b",
    "\xa0",
    "a\xa0b",
    "\ufeff",
    "\ufeffab",
    "a\ufeff",
    "\ufffe",
    "\uffff",
    "\ue000",
    "\r",
    "a\r\nb",
    "a\rb\n",
    "x" * 200,
    "word " * 40,
    "a: b " * 30,
]


PLAIN_SCALARS = """0x10 012 0o17 0b11 1_000 1e3 1E3 5.0 -0.0 0.0 1e999 -1e999 1e-400 1.5e+06
9223372036854775807 9223372036854775808 18446744073709551615 18446744073709551616
-9223372036854775808 -9223372036854775809 0b-1 0o-7 -0b11 -0o17 +0x10 0X1F 0B11 0O17
.5 . .e5 .5e3 ._5 +.inf .Inf -.INF .NaN .nAn 08 09 0_8 1__2 1_e3 0.1 100000 1000000
1234567.0 123456789012345678901234567890 0.0001 0.00001 1e21 1e20 3.14159265358979
2024-01-01 2001-12-14t21:59:43.10-05:00 2024-01-01T10:00:00.123456789123Z
2024-01-01T10:00:00,5Z 2024-1-2T3:4:5Z 0000-01-01 2024-01-01T24:00:00Z
2024-02-29 2023-02-29 2024-01-01T10:00:00+24:00 2024-01-01T10:00:00+25:00
2024-01-01T10:00:00+00:00 2024-01-01T10:00:00-00:30 2024-01-01T10:00:60Z
true True TRUE tRue false yes on off y n null Null ~ NULL nULL
1:20 1:20:30 190:20:30.15 -1:30 <<x = ? -x :x a:b"""


def quoted(text: str) -> str:
    """A YAML double-quoted scalar for any string (JSON quoting is YAML-compatible)."""
    return json.dumps(text, ensure_ascii=False)


def string_cases() -> list[str]:
    cases = []
    for s in TRICKY_STRINGS:
        q = quoted(s)
        cases.append(f"v: {q}\n")
        cases.append(f"{q}: v\nnested:\n  {q}: {q}\n")
        cases.append(f"list:\n- {q}\n- [{q}]\n- k: {q}\n  {q}: x\n")
        cases.append(f"deep:\n  a:\n  - b:\n    - - {q}\n      - c: {q}\n")
    return cases


def plain_cases() -> list[str]:
    cases = []
    for token in PLAIN_SCALARS.split():
        cases.append(f"v: {token}\n")
        cases.append(f"{token}: top\nm:\n  {token}: nested\n  other: 1\n")
        cases.append(f"s:\n- {token}\n- !!str {token}\n")
    for spaced in ("2001-12-14 21:59:43.10", "2001-12-14   21:59:43", "2024-01-01 10:00:00 Z"):
        cases.append(f"v: {spaced}\n")
    return cases


TAG_CASES = [
    "v: !!str 5\n",
    'v: !!int "5"\n',
    "v: !!float 5\n",
    "v: !!float 0x10\n",
    "v: !!binary aGVsbG8=\n",
    "v: !!binary /w==\n",
    "v: !!binary |\n  aGVsbG8gd29y\n  bGQ=\n",
    "v: !!binary not base64!\n",
    "v: !!int abc\n",
    "v: !!bool yes\n",
    "v: !!bool true\n",
    "v: !!null ''\n",
    "v: !!null x\n",
    "v: !!timestamp 2024-01-01\n",
    "v: !!timestamp '2024-01-01'\n",
    "v: !foo bar\n",
    "v: !foo {a: 1}\n",
    "v: ! 5\n",
    "v: ! '5'\n",
    "v: !!python/object:os.system x\n",
    "v: !!map {a: 1}\n",
    "v: !!seq [1]\n",
    "v: !!str\n",
    "!!int 5: a\nm:\n  !!int 5: a\n",
    "m:\n  !foo k: v\n  other: w\n",
    "v: !<tag:yaml.org,2002:str> 7\n",
]

STRUCTURE_CASES = [
    "",
    "\n",
    "# only a comment\n",
    "---\n",
    "---\n---\n",
    "null\n",
    "~\n",
    "{}\n",
    "[]\n",
    "- a\n- b\n",
    "hello\n",
    "'hello'\n",
    "''\n",
    "5\n",
    "a: 1\n---\n# c\n---\nb: 2\n...\n---\nc: 3\n",
    "a: 1\n---\n- x\n",
    "a: {}\nb: []\nc: [[]]\nd: [{}]\ne: {f: {}}\n",
    "a:\n- - - x\n    - y\n  - z\n- []\n",
    "a: [[1, 2], [3, [4, [5]]]]\n",
    "a: [{b: 1, c: [2, {d: 3}]}]\n",
    "a: &x {b: 1}\nc: *x\nd: *x\n",
    "a: &x [1, 2]\nb: [*x, *x]\n",
    "a: &s hello\nb: *s\n*s : k\n",
    "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n",
    "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n",
    "a: &a {x: 1, <<: {y: 2}}\nb: {<<: *a, x: 9}\n",
    "c:\n  <<: {x: 1}\n  <<: {y: 2}\n",
    "c:\n  <<: 5\n",
    "c:\n  <<: [5]\n",
    "c:\n  '<<': {x: 1}\n",
    "c:\n  <<: {1: a, true: b}\n  k: v\n",
    "<<: {a: 1}\nb: 2\n",
    "a: &a [*a]\n",
    "a: *nope\n",
    "a: 1\na: 2\n",
    "a: 1\n'a': 2\n",
    "m:\n  1: a\n  01: b\n",
    "m:\n  1: a\n  '1': b\n",
    "m:\n  ~: a\n  null: b\n",
    "~: a\nb: 1\n",
    "~: a\n",
    "? [a]\n: b\n",
    "m:\n  ? [a]\n  : b\n",
    "m:\n  ? {a: 1}\n  : b\n",
    "m:\n  1: a\n  2.5: b\n  true: c\n  false: d\n  ~: e\n  x: f\n  -3: g\n  0: h\n"
    "  2024-01-01: i\n",
    "m:\n  10: a\n  9: b\n  1e1: c\n  0x9: d\n",
    "1: a\n2.5: b\ntrue: c\n2024-01-01: d\n0x10: e\n",
    "a: |\n  line1\n  line2\n",
    "a: |-\n  line1\n  line2\n",
    "a: |+\n  line1\n\n",
    "a: >\n  folded\n  text\n\n  para\n",
    "a: >-\n  folded\n",
    "a: |2\n    indented\n  less\n",
    "a: 'single ''quoted'''\nb: \"double \\\"quoted\\\"\"\n",
    "a: plain # comment\nb: 'x' # c\n",
    "a:\n  b:\n    c:\n      d:\n        e: deep\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "a:\n\t- b\n",
    'key with spaces: v\n"quoted key": v\n',
    "a: 1\n---\nb: &x 1\n---\nc: *x\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    'a: "\\/"\n',
    'a: "x\\\\/"\n',
    "a: 'x\\/'\n",
    "a: &x {b: 1}\n---\n*x\n",
    "--- !!map\na: 1\n",
    "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: 'q\r\n  r'\r\n",
    "a: |\n\tx\n",
    "a: >2\n   x\n  y\n\n  z\n",
    'a: "multi\n  line\n\n  quoted"\n',
    "a: plain\n  continued\n  # not comment\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
    "a:\n  - b\n  -\n  - c\n",
    "a: [1, 2,]\nb: {c: 1,}\n",
    "\ufeffa: 1\n",
    # yaml.v3's excessive-aliasing ratio: 50 expansions pass, 200 are refused.
    "a: &a [" + "x, " * 1000 + "]\nb: [" + "*a, " * 50 + "]\n",
    "a: &a [" + "x, " * 1000 + "]\nb: [" + "*a, " * 200 + "]\n",
]

KEY_ORDER_KEYS = words(
    """
1a 9 10 B1 a-b a.b a_b a1 ab b2 b10 apiVersion data kind metadata spec status a01 a001 a1b
a10b a2b x0 x00 x01 x1 A Z _ - . / a/b a:b é e f z 1 01 001 100 0 a0 a00 a0b image
imagePullPolicy app.kubernetes.io/name app.kubernetes.io/version helm.sh/chart k8s-app
"""
)


def key_order_cases(rng: random.Random) -> list[str]:
    cases = []
    cases.append("m:\n" + "".join(f"  {quoted(k)}: {i}\n" for i, k in enumerate(KEY_ORDER_KEYS)))
    # Non-ASCII letters and digits (ª, µ, Ω, Arabic-Indic ٣) exercise Go's unicode classes.
    # Digit runs stay below 19 digits: beyond int64 yaml.v3's order is not transitive and Go's
    # own output then depends on map iteration order.
    alphabet = [*"aAbB0129_-./:éZ ٣ªµΩ", "0000"]
    for _ in range(60):
        keys = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(12)}
        cases.append("".join(f"{quoted(k)}: {i}\n" for i, k in enumerate(sorted(keys))))
    return cases


LONG_KEYS = [
    "k" * 128,
    "k" * 129,
    "é" * 64,
    "é" * 65,
    "multi\nline key",
    "trail\n",
]


def long_key_cases() -> list[str]:
    cases = []
    for key in LONG_KEYS:
        q = quoted(key)
        cases.append(f"{q}: v\n")
        cases.append(f"{q}:\n  a: 1\n  b: [x, y]\n")
        cases.append(f"m:\n  {q}:\n  - 1\n  - z: 2\n")
        cases.append(f"{q}: |\n  text\n")
    return cases


K8S_CASES = [
    """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app.kubernetes.io/name: web, app.kubernetes.io/version: "1.0"}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        checksum/config: 0123abc
        prometheus.io/port: "9090"
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/web:1.2.3
        command: ["sh", "-c", "until nc -z db 5432; do sleep 1; done"]
      containers:
      - name: web
        image: ghcr.io/acme/web:1.2.3
        ports: [{containerPort: 8080, name: http}]
        env:
        - {name: DEBUG, value: "false"}
        - {name: PORT, value: "8080"}
        - {name: RATIO, value: "0.5"}
        resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m}}
        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80, targetPort: http}]
  selector: {app: web}
""",
    """apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  init.sh: |
    #!/bin/sh
    set -eu
    echo "starting: $1"\x20\x20
    exit 0
  empty: ""
  yaml: |-
    a: 1
    b: [2]
  conf: "key = value\\n\\tindented\\n"
""",
    """apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: b
            image: postgres:16
            args: [--host=db, --port=5432, '*.sql']
""",
]
