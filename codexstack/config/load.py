"""Load services.yaml the way codexctl does: the two-pass load of §3.2, reproduced exactly.

1. Read the file and decode the raw header from the *untemplated* YAML (so the raw file must
   be valid YAML; actions live in quoted scalars, block scalars or ``#`` comments).
2. Read the variable layers (process env < envFiles < var-file < ``--vars``) and build the
   pass-1 context: ``.Project``/``.Versions``/``.BaseDomain`` from the raw header, ``.Codex``
   zero, ``.Storage`` nil.
3. Unless a namespace was given, render ``namespace.patterns[env]`` with that context and
   apply the fallbacks (:mod:`codexstack.config.namespace`).
4. Render the whole file as one template (``$vars`` declared at the top stay in scope). When a
   value from outside the file (env, envFiles, ``--vars``) carries a YAML indicator, render it
   once more with stand-ins and refuse a structural difference (the structure guard, defect 1):
   a value must never add a key, a list item or a hook step.
5. Decode the result into the model, check it, and refresh the context from it: ``.Versions``,
   ``.BaseDomain``, ``.Codex`` and ``.Storage`` become the rendered values while ``.Project``
   keeps the raw-header value (the comment-header idiom can empty the typed ``project``).
Every problem of the file is reported at once, each with file, line, column and key.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codexstack import redact
from codexstack.config.checks import check_model
from codexstack.config.context import ContextValues, render_text
from codexstack.config.environments import ResolvedEnvironment, resolve_environment
from codexstack.config.envscope import referenced_names, template_env
from codexstack.config.escapes import unescape_readme_actions
from codexstack.config.header import RawHeader, read_header
from codexstack.config.hookscan import scan_hook_runs
from codexstack.config.issues import Issue, Locator, raise_if_any
from codexstack.config.models import Dialect, ServicesConfig
from codexstack.config.namespace import resolve_namespace
from codexstack.config.paths import read_text_file, resolve_project_path
from codexstack.config.validate import validate_data
from codexstack.config.vars import VarLayers, build_layers
from codexstack.errors import ConfigError, Location, TemplateError
from codexstack.naming import check_namespace
from codexstack.yamlio import (
    CONFIG_LIMITS,
    LoadedYAML,
    check_structure,
    load_config_text,
    stand_in_strict,
)


@dataclass(frozen=True)
class LoadedConfig:
    """A loaded services.yaml: the model plus everything later template sites need."""

    model: ServicesConfig
    path: Path
    """Absolute path of services.yaml."""
    root: Path
    """ProjectRoot: the directory of services.yaml."""
    display_name: str
    """The file as the user named it (used in messages)."""
    header: RawHeader
    context: ContextValues
    """The full context (refreshed after the load) for manifests, hooks, prompts…"""
    pass1: ContextValues
    """The context the file itself was rendered with."""
    layers: VarLayers
    locator: Locator
    raw: LoadedYAML
    """The untemplated document (for :meth:`raw_text`)."""
    rendered_text: str
    warnings: tuple[Issue, ...] = ()
    process_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def env(self) -> str:
        """The selected environment."""
        return self.context.env

    @property
    def slot(self) -> int:
        """The selected slot (0 when none)."""
        return self.context.slot

    @property
    def namespace(self) -> str:
        """The resolved namespace ("" when none applies)."""
        return self.context.namespace

    @property
    def project(self) -> str:
        """The typed project, or the raw-header one when templating emptied it (§3.2)."""
        return self.model.project or self.header.project

    @property
    def dialect(self) -> Dialect:
        """The project's template dialect."""
        return self.model.template_dialect

    def raw_text(self, path: tuple[Any, ...]) -> str | None:
        """The untemplated string at ``path`` (e.g. a hook's ``run``), if the raw file has one."""
        node: Any = self.raw.data
        for part in path:
            in_map = isinstance(node, Mapping) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if in_map or in_list:
                node = node[part]
            else:
                return None
        return node if isinstance(node, str) else None

    def render(self, text: str, name: str, *, key: str | None = None, **overrides: Any) -> str:
        """Render a later-site template with the full context.

        ``name`` is the template (file) named in errors, ``key`` the config key they cite;
        ``overrides`` replace context fields (e.g. ``env_map=`` for prompt-run injections).
        """
        values = self.context.replace(**overrides) if overrides else self.context
        return render_text(text, name=name, values=values, dialect=self.dialect, key=key)

    def namespace_for(self, env: str, slot: int, explicit: str | None = None) -> str:
        """The namespace of ``env``/``slot`` by the one rule (D-NS), e.g. for slot records."""
        ctx = self.pass1.replace(env=env, slot=slot, namespace="")
        return _namespace(self.header, ctx, explicit, self.locator)

    def environment(self, *, required: bool = True) -> ResolvedEnvironment:
        """The selected environment's effective settings (inheritance and overrides applied)."""
        return resolve_environment(
            self.model,
            self.env,
            process_env=self.process_env,
            required=required,
            locator=self.locator,
        )

    def resolve_path(self, rel: str, what: str) -> Path:
        """A project-relative path, refused if it could leave the project (F3)."""
        return resolve_project_path(self.root, rel, what, source=self.display_name)


def _pattern_renderer(
    ctx: ContextValues, dialect: Dialect, locator: Locator
) -> Callable[[str], str]:
    """Render a namespace pattern with ``ctx``; errors point at the pattern's key."""

    def render_pattern(text: str) -> str:
        try:
            return render_text(text, name="namespace", values=ctx, dialect=dialect)
        except TemplateError as exc:
            where = locator.locate(("namespace", "patterns", ctx.env))
            raise TemplateError(exc.message, location=where, hint=exc.hint) from None

    return render_pattern


def _namespace(
    header: RawHeader, ctx: ContextValues, explicit: str | None, locator: Locator
) -> str:
    """Step 3: the namespace rule with the raw-header pattern and the pass-1 context.

    A namespace from the flag or a pattern must be a DNS-1123 label: it reaches hooks
    (``$CODEXCTL_NAMESPACE``, kubectl argv) and every API call. The fallback built from the raw
    header's project is checked where it is used (deploy), so ``render`` of a file whose project
    is a template keeps working as in codexctl.
    """
    pattern = header.patterns.get(ctx.env)
    namespace = resolve_namespace(
        explicit=explicit,
        env=ctx.env,
        slot=ctx.slot,
        project=ctx.project,
        pattern=pattern,
        render_pattern=_pattern_renderer(ctx, header.template_dialect, locator),
    )
    if explicit and explicit.strip():
        check_namespace(namespace, Location(key="--namespace"))
    elif pattern and pattern.strip():
        check_namespace(namespace, locator.locate(("namespace", "patterns", ctx.env)))
    return namespace


def load_config(
    path: str | os.PathLike[str],
    *,
    env: str = "",
    slot: int = 0,
    namespace: str | None = None,
    vars: str | None = None,
    var_file: str | None = None,
    process_env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
    strict: bool = True,
) -> LoadedConfig:
    """Load, render and validate services.yaml for ``env``/``slot``.

    ``process_env`` (default ``os.environ``), ``cwd`` (default the process CWD) and ``now``
    (default: the current UTC time) are injectable for tests. ``strict`` (or ``strict: true``
    in the file) makes unknown keys errors instead of warnings (codexctl ignores them).
    """
    environ = dict(os.environ if process_env is None else process_env)
    workdir = Path(cwd) if cwd is not None else Path.cwd()
    display = os.fspath(path)
    abs_path = Path(os.path.normpath(workdir / display))
    root = abs_path.parent
    text = read_text_file(abs_path, "services.yaml", limit=CONFIG_LIMITS.max_bytes)

    raw = load_config_text(text, display)
    locator = Locator(display, raw.positions)
    header, issues = read_header(raw.data, locator)
    raise_if_any(issues)
    assert header is not None  # raise_if_any raised otherwise

    layers = build_layers(
        root=root,
        env_files=header.env_files,
        vars_spec=vars,
        var_file=var_file,
        process_env=template_env(environ, referenced_names(_project_texts(text, raw, root))),
        cwd=workdir,
    )
    redact.register_environment(layers.env_map)  # env files and --vars hold secrets too
    pass1 = ContextValues(
        env=env,
        namespace=(namespace or "").strip(),
        project=header.project,
        project_root=str(root),
        slot=slot,
        now=(now or datetime.now(UTC)).astimezone(UTC),
        user_vars=layers.user_vars,
        vars=layers.vars,
        env_map=layers.env_map,
        versions=header.versions,
        base_domain=header.base_domain,
    )
    pass1 = pass1.replace(namespace=_namespace(header, pass1, namespace, locator))

    source = unescape_readme_actions(text) if header.template_dialect == "go" else text
    rendered_text = render_text(source, name=display, values=pass1, dialect=header.template_dialect)
    rendered = _parse_rendered(rendered_text, display, changed=rendered_text != text)
    _guard_structure(
        source, rendered_text, rendered, pass1, dialect=header.template_dialect, display=display
    )
    model, issues = validate_data(
        rendered.data, locator, strict=strict or header.strict, scalars=rendered.positions
    )
    if model is not None:
        issues.extend(check_model(model, locator))
    issues.extend(scan_hook_runs(raw.data, locator))
    warnings = raise_if_any([*issues, *layers.warnings])
    assert model is not None

    full = _refresh(pass1, model, locator)
    return LoadedConfig(
        model=model,
        path=abs_path,
        root=root,
        display_name=display,
        header=header,
        context=full,
        pass1=pass1,
        layers=layers,
        locator=locator,
        raw=raw,
        rendered_text=rendered_text,
        warnings=warnings,
        process_env=environ,
    )


def _manifest_paths(data: Any) -> Iterator[str]:
    """Manifest paths as written in the raw file (infrastructure and services)."""
    if not isinstance(data, Mapping):
        return
    for section in ("infrastructure", "services"):
        items = data.get(section)
        for item in items if isinstance(items, list) else ():
            refs = item.get("manifests") if isinstance(item, Mapping) else None
            for ref in refs if isinstance(refs, list) else ():
                path = ref.get("path") if isinstance(ref, Mapping) else None
                if isinstance(path, str) and "{{" not in path:
                    yield path


def _project_texts(text: str, raw: LoadedYAML, root: Path) -> Iterator[str]:
    """services.yaml and the manifests it names (unreadable ones: the render reports them)."""
    yield text
    for rel in _manifest_paths(raw.data):
        with contextlib.suppress(ConfigError, OSError):
            path = resolve_project_path(root, rel, "manifest path")
            yield read_text_file(path, f"manifest {rel}")


def _parse_rendered(text: str, display: str, *, changed: bool) -> LoadedYAML:
    try:
        return load_config_text(text, display)
    except ConfigError as exc:
        if not changed:
            raise
        hint = "the line refers to the file after templating; check the template actions there"
        raise ConfigError(exc.message, location=exc.location, hint=hint) from None


def _guard_structure(
    source: str,
    rendered_text: str,
    rendered: LoadedYAML,
    ctx: ContextValues,
    *,
    dialect: Dialect,
    display: str,
) -> None:
    """Render ``source`` again with every risky outside value as a stand-in; same structure?"""
    risky = {
        name: value
        for layer in (ctx.env_map, ctx.vars, ctx.user_vars)
        for name, value in layer.items()
        if stand_in_strict(value) != value
    }
    if not risky:
        return

    def flat(layer: Mapping[str, str]) -> dict[str, str]:
        return {k: stand_in_strict(v) for k, v in layer.items()}

    check = ctx.replace(
        env_map=flat(ctx.env_map), vars=flat(ctx.vars), user_vars=flat(ctx.user_vars)
    )
    check_text = render_text(source, name=display, values=check, dialect=dialect)
    if check_text == rendered_text:
        return
    check_docs: list[Any] | None
    try:
        check_docs = [load_config_text(check_text, display).data]
    except ConfigError:
        check_docs = None
    check_structure(display, rendered_text, [rendered.data], check_docs, risky)


def _refresh(pass1: ContextValues, model: ServicesConfig, locator: Locator) -> ContextValues:
    """Step 5: the full context, plus codexctl's late namespace rule for a still-empty one."""
    full = pass1.replace(
        versions=model.versions,
        base_domain=model.base_domain,
        codex=model.codex,
        storage=model.storage,
    )
    if full.namespace or not full.env:
        return full
    # codexctl renders the *typed* pattern once more when the pre-pass gave nothing (a pattern
    # produced by the template itself); it uses the pass-1 context for that.
    pattern = model.namespace_patterns.get(full.env, "")
    if pattern.strip():
        rendered = _pattern_renderer(pass1, model.template_dialect, locator)(pattern)
        return full.replace(namespace=rendered.strip())
    return full
