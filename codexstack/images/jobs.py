"""From a loaded services.yaml to checked image jobs: what to mirror and what to build.

Pure: nothing here talks to a daemon or a registry, so every input problem is found before
anything is pulled, built or pushed, and each error names the ``services.yaml`` line of the
key at fault. Paths follow D-BUILD: ``dockerfile``, ``context`` and ``buildContexts`` are all
relative to the project root (codexctl resolves ``context`` against the working directory;
a warning says when that reading would differ) and may not leave the project. Jobs come out
sorted by image name, so the order of work and of results never depends on map order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from codexstack import redact
from codexstack.config import ImageSpec, LoadedConfig, read_text_file, resolve_project_path
from codexstack.errors import ConfigError, Location, TemplateError
from codexstack.images.refs import BadReference, ImageRef, check_tag, parse

JobKind = Literal["mirror", "build"]


@dataclass(frozen=True)
class ImageJob:
    """One image to mirror or build, with every path resolved and every reference checked."""

    name: str
    kind: JobKind
    dest: ImageRef
    """Where the image is pushed (always names its registry host)."""
    where: Location
    """The image's entry in services.yaml."""
    source: str = ""
    """mirror: the reference pulled."""
    dockerfile: Path | None = None
    dockerfile_text: str = ""
    context: Path | None = None
    build_args: tuple[tuple[str, str], ...] = ()
    """Plain build args, sorted by name."""
    secret_args: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Secret build args (name, value), sorted; never printed."""
    build_contexts: tuple[tuple[str, Path], ...] = ()
    """Named extra contexts, sorted by name."""

    @property
    def secret_values(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.secret_args if value)


@dataclass(frozen=True)
class JobSet:
    """The checked jobs (mirrors first, then builds, each sorted) and load-time warnings."""

    mirrors: tuple[ImageJob, ...]
    builds: tuple[ImageJob, ...]
    warnings: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[ImageJob, ...]:
        return self.mirrors + self.builds


class _Site:
    """Locations and errors for one ``images.<name>`` entry."""

    def __init__(self, loaded: LoadedConfig, name: str) -> None:
        self.loaded = loaded
        self.name = name

    def at(self, *key: str) -> Location:
        return self.loaded.locator.locate(("images", self.name, *key))

    def error(self, key: str, message: str, hint: str | None = None) -> ConfigError:
        where = self.at(key) if key else self.at()
        return ConfigError(f"image '{self.name}': {message}", location=where, hint=hint)

    def path(self, key: str, rel: str, *, directory: bool) -> Path:
        try:
            path = resolve_project_path(self.loaded.root, rel, key)
        except ConfigError as exc:
            raise self.error(key, exc.message) from None
        if directory and not path.is_dir():
            raise self.error(key, f"{key} {rel!r} is not a directory in the project")
        return path


def resolve_jobs(
    loaded: LoadedConfig,
    *,
    names: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> JobSet:
    """Check every image of ``loaded`` (or only ``names``) and return the jobs.

    ``environ`` supplies secret build args not given in ``buildArgs`` (default: the
    process environment); ``cwd`` is only used to warn where codexctl's context differs.
    """
    wanted = set(names) if names is not None else None
    images = loaded.model.images
    if wanted is not None:
        unknown = sorted(wanted - set(images))
        if unknown:
            raise ConfigError(
                f"no image named {', '.join(repr(n) for n in unknown)} in services.yaml",
                location=loaded.locator.locate(("images",)),
            )
    env = os.environ if environ is None else environ
    mirrors: list[ImageJob] = []
    builds: list[ImageJob] = []
    warnings: list[str] = []
    for name in sorted(images):
        if wanted is not None and name not in wanted:
            continue
        spec = images[name]
        site = _Site(loaded, name)
        if spec.kind == "external":
            mirrors.append(_mirror(site, spec))
        elif spec.kind == "build":
            builds.append(_build(site, spec, env, cwd or Path.cwd(), warnings))
        # any other type: skipped, as codexctl does (the config loader already warned)
    return JobSet(tuple(mirrors), tuple(builds), tuple(warnings))


def _destination(site: _Site, key: str, text: str) -> ImageRef:
    try:
        ref = parse(text)
    except BadReference as exc:
        raise site.error(key, f"{text!r}: {exc}") from None
    if not ref.host:
        raise site.error(
            key,
            f"{text!r} names no registry host",
            hint="write the registry explicitly, e.g. 127.0.0.1:5000/team/app",
        )
    if ref.digest:
        raise site.error(key, f"{text!r}: a push destination cannot carry a digest")
    return ref


def _mirror(site: _Site, spec: ImageSpec) -> ImageJob:
    source = spec.from_.strip()
    try:
        parse(source)
    except BadReference as exc:
        raise site.error("from", f"{source!r}: {exc}") from None
    dest = _destination(site, "local", spec.local.strip())
    if not dest.tag:
        dest = dest.with_tag("latest")
    return ImageJob(site.name, "mirror", dest, site.at(), source=source)


def _tag(site: _Site, spec: ImageSpec, repository: str) -> tuple[str, str]:
    """The tag and the key it came from: tag > tagTemplate > the service override's tag."""
    if spec.tag.strip():
        return spec.tag.strip(), "tag"
    text, key = spec.tag_template, "tagTemplate"
    if not text.strip():
        for service in site.loaded.model.services:
            if service.image.repository.strip() == repository:
                text = service.image.tag_template
                break
    if site.loaded.model.double_render and text:
        try:
            text = site.loaded.render(text, "image-tag", key=f"images.{site.name}.{key}")
        except TemplateError as exc:
            raise site.error(key, exc.message) from None
    return text.strip(), key


def _build(
    site: _Site, spec: ImageSpec, env: Mapping[str, str], cwd: Path, warnings: list[str]
) -> ImageJob:
    repository = spec.repository.strip()
    repo = _destination(site, "repository", repository)
    if repo.tag:
        raise site.error("repository", f"{repository!r} carries a tag; use 'tag' or 'tagTemplate'")
    tag, tag_key = _tag(site, spec, repository)
    if not tag:
        raise site.error(
            tag_key,
            "the tag is empty",
            hint="set 'tag' or 'tagTemplate', or give the service using this repository "
            "an image.tagTemplate",
        )
    try:
        check_tag(tag)
    except BadReference as exc:
        raise site.error(tag_key, str(exc)) from None
    context_rel = spec.context.strip() or "."
    if "://" in context_rel:
        raise site.error("context", f"remote context {context_rel!r} is not supported")
    context = site.path("context", context_rel, directory=True)
    codexctl_context = (cwd / context_rel).resolve()
    if codexctl_context != context and codexctl_context.is_dir():
        warnings.append(
            f"image '{site.name}': context {context_rel!r} is taken relative to the project "
            f"root ({context}); codexctl would use the working directory (D-BUILD)"
        )
    dockerfile_rel = spec.dockerfile.strip() or "Dockerfile"
    dockerfile = site.path("dockerfile", dockerfile_rel, directory=False)
    if not dockerfile.is_file():
        beside = context / "Dockerfile"
        hint = (
            f"paths are relative to the project root: did you mean "
            f"'{beside.relative_to(site.loaded.root)}'?"
            if not spec.dockerfile.strip() and beside.is_file()
            else None
        )
        raise site.error("dockerfile", f"Dockerfile {dockerfile_rel!r} not found", hint)
    try:
        dockerfile_text = read_text_file(dockerfile, "Dockerfile")
    except ConfigError as exc:
        raise site.error("dockerfile", exc.message) from None
    contexts = tuple(
        (ctx_name, site.path("buildContexts", rel.strip(), directory=True))
        for ctx_name, rel in sorted(spec.build_contexts.items())
    )
    secret_names = sorted({n.strip() for n in spec.secret_build_args if n.strip()})
    secret_args = []
    for arg in secret_names:
        value = spec.build_args.get(arg, env.get(arg))
        if value is None or not value.strip():
            raise site.error(
                "secretBuildArgs",
                f"secret build arg {arg} has no value",
                hint=f"set it in buildArgs (from an env file) or export {arg}",
            )
        secret_args.append((arg, value.strip()))
        redact.register(value)  # masked in every line the process writes from now on
    plain = tuple(
        (k, v.strip()) for k, v in sorted(spec.build_args.items()) if k not in secret_names
    )
    return ImageJob(
        site.name,
        "build",
        repo.with_tag(tag),
        site.at(),
        dockerfile=dockerfile,
        dockerfile_text=dockerfile_text,
        context=context,
        build_args=plain,
        secret_args=tuple(secret_args),
        build_contexts=contexts,
    )
