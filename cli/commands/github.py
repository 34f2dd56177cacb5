"""The GitHub commands: ``plan resolve-root``, ``pr detect|open|review-apply``, ``issue comment``.

Each takes codexctl's flags with their ``CODEXCTL_*`` fallbacks (``--repo`` falls back to
``CODEXCTL_REPO`` then ``GITHUB_REPOSITORY``; the token to ``CODEXCTL_GH_PAT``, ``GH_TOKEN``,
``GITHUB_TOKEN``; the API to ``GITHUB_API_URL``), builds one flow request, runs it, and
prints its result (``--output text|json|yaml|kv``); §9.6 keys go to ``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output as out
from cli.options import IssueOpt, PrOpt, current, opt
from codexstack import flows
from codexstack.errors import UsageError

RepoOpt = Annotated[
    str | None,
    opt(
        "--repo",
        env="REPO",
        help="owner/name (default: CODEXCTL_REPO, then GITHUB_REPOSITORY).",
    ),
]
BranchOpt = Annotated[str, opt("--branch", env="BRANCH", help="Branch name.")]
LangOpt = Annotated[str, opt("--lang", env="LANG", help="Comment language: en or ru.")]


def resolve_root(ctx: typer.Context, *, issue: IssueOpt = None, repo: RepoOpt = None) -> int:
    """Find the root plan issue of --issue: its [ai-plan] ancestor via AI-PLAN-PARENT: #N.

    Any number of levels, cycles reported; the label matches in any letter case. Prints
    root and focus; writes them to $GITHUB_OUTPUT.
    """
    request = flows.plan_root.Request(issue or 0, repo, flows.CiOutputs.from_environ())
    return out.finish(flows.plan_root.run(request, flows.StderrReporter()), current(ctx).fmt)


def detect(ctx: typer.Context, *, branch: BranchOpt = "", repo: RepoOpt = None) -> int:
    """Print the number of the open PR whose head is --branch (codexctl_pr_number).

    No PR: a warning, no output, exit 0.
    """
    request = flows.pr_detect.Request(branch, repo, flows.CiOutputs.from_environ())
    return out.finish(flows.pr_detect.run(request, flows.StderrReporter()), current(ctx).fmt)


def open_(
    ctx: typer.Context,
    *,
    branch: BranchOpt = "",
    issue: IssueOpt = None,
    base: Annotated[
        str | None, opt("--base", env="PR_BASE", help="Base branch (default: repo default).")
    ] = None,
    title: Annotated[
        str, opt("--title", env="PR_TITLE", help="Title (default: the issue's).")
    ] = "",
    body: Annotated[str, opt("--body", env="PR_BODY", help="Body; 'Closes #N' is added.")] = "",
    repo: RepoOpt = None,
) -> int:
    """Open a draft PR from --branch that closes --issue, unless the branch has an open PR."""
    request = flows.pr_open.Request(
        branch, issue or 0, base, title, body, repo, flows.CiOutputs.from_environ()
    )
    return out.finish(flows.pr_open.run(request, flows.StderrReporter()), current(ctx).fmt)


def review_apply(
    ctx: typer.Context,
    *,
    pr: PrOpt = None,
    branch: Annotated[
        str,
        opt("--branch", env="BRANCH", help="Expected head branch, checked before any request."),
    ] = "",
    code_root_base: Annotated[
        Path | None,
        opt(
            "--code-root-base",
            env="CODE_ROOT_BASE",
            legacy="CODE_ROOT_BASE",
            help="Workspace base; the tree is <base>/<slot>/src (ai-repair: <base>/ai-staging).",
        ),
    ] = None,
    workdir: Annotated[
        Path | None,
        opt("--workdir", env="REVIEW_WORKDIR", help="The tree itself (e.g. a mounted PVC)."),
    ] = None,
    stage: Annotated[
        str,
        opt(
            "--stage",
            env="REVIEW_STAGE",
            help="What to git add: -u, -A and paths, comma-separated "
            "(default: -u,docs,proto,services,libs).",
        ),
    ] = "",
    lang: LangOpt = "en",
    author_name: Annotated[
        str,
        opt("--author-name", env="GH_USERNAME", legacy="CODEX_GH_USERNAME", help="Commit author."),
    ] = "codex-bot",
    author_email: Annotated[
        str, opt("--author-email", env="GH_EMAIL", help="Commit author e-mail.")
    ] = "codex-bot@codex-k8s.local",
    repo: RepoOpt = None,
) -> int:
    """Commit the agent's review changes in the slot's tree and push them to the PR's head.

    Refuses the default branch, protected branches, fork heads and branch names with shell
    or ref metacharacters before any write. Edits the PR's environment comment only when
    something was pushed.
    """
    opts = current(ctx)
    request = flows.review_apply.Request(
        opts.target,
        pr or 0,
        code_root_base=code_root_base,
        workdir=workdir,
        stage=stage,
        lang=lang,
        branch=branch or None,
        author_name=author_name,
        author_email=author_email,
        repo=repo,
        ci=flows.CiOutputs.from_environ(),
    )
    return out.finish(flows.review_apply.run(request, flows.StderrReporter()), opts.fmt)


def comment(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    body: Annotated[str, opt("--body", env="COMMENT_BODY", help="Comment text.")] = "",
    body_file: Annotated[
        Path | None, typer.Option("--body-file", help="Read the text from a file ('-': stdin).")
    ] = None,
    repo: RepoOpt = None,
) -> int:
    """Post a comment on --issue (or --pr), e.g. a workflow's 'no free slot' notice."""
    if body_file is not None:
        body = typer.get_text_stream("stdin").read() if str(body_file) == "-" else _read(body_file)
    request = flows.issue_comment.Request(issue or pr or 0, body, repo)
    return out.finish(flows.issue_comment.run(request, flows.StderrReporter()), current(ctx).fmt)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--body-file {path}: {exc.strerror}") from None
