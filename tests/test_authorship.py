from __future__ import annotations

from pathlib import Path

import pytest

from github_app.authorship import (
    BUILTIN_AGENTS,
    COMMITS_TRUNCATED_NOTE,
    MAX_PR_COMMITS,
    ChangeFacts,
    Commit,
    Signals,
    detect,
    trailers,
)

HUMAN = ("Jane Doe", "jane@example.com")


def commit(
    message: str,
    author: tuple[str, str] = HUMAN,
    login: str | None = "janedoe",
    committer: tuple[str, str] = HUMAN,
    sha: str = "1a2b3c4d5e6f",
) -> Commit:
    return Commit(
        sha=sha,
        message=message,
        author_name=author[0],
        author_email=author[1],
        author_login=login,
        committer_name=committer[0],
        committer_email=committer[1],
    )


CLAUDE_MSG = """Add retry to the payment client

Wrap the charge call in a bounded retry with backoff.

🤖 Generated with [Claude Code](https://claude.com/claude-code)

Co-Authored-By: Claude <noreply@anthropic.com>
"""

# (case id, facts, signal must contain, agent)
AI_CASES: list[tuple[str, ChangeFacts, str, str | None]] = [
    (
        "copilot PR author",
        ChangeFacts(author_login="Copilot"),
        "PR author Copilot",
        "GitHub Copilot coding agent",
    ),
    (
        "copilot app login",
        ChangeFacts(author_login="copilot-swe-agent[bot]"),
        "PR author copilot-swe-agent[bot]",
        "GitHub Copilot coding agent",
    ),
    (
        "copilot commit author",
        ChangeFacts(
            commits=(
                commit(
                    "Initial plan",
                    author=("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"),
                    login="Copilot",
                ),
            )
        ),
        "commit 1a2b3c4 author account Copilot",
        "GitHub Copilot coding agent",
    ),
    (
        "copilot branch",
        ChangeFacts(head_branch="copilot/fix-issue-42"),
        "head branch copilot/fix-issue-42",
        "GitHub Copilot coding agent",
    ),
    (
        "claude trailer",
        ChangeFacts(commits=(commit("Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"),)),
        "commit 1a2b3c4 trailer Claude <noreply@anthropic.com>",
        "Claude Code",
    ),
    (
        "claude generated-with line only",
        ChangeFacts(commits=(commit("Fix\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n"),)),
        "line '🤖 Generated with [Claude Code]",
        "Claude Code",
    ),
    (
        "claude full message: trailer is found",
        ChangeFacts(commits=(commit(CLAUDE_MSG),)),
        "commit 1a2b3c4",
        "Claude Code",
    ),
    ("claude action bot", ChangeFacts(author_login="claude[bot]"), "PR author claude[bot]", "Claude Code"),
    (
        "claude-code-action branch",
        ChangeFacts(head_branch="claude/issue-12-20250601-1200"),
        "head branch claude/issue-12-20250601-1200 (Claude Code branch name)",
        "Claude Code",
    ),
    (
        "claude-code-action branch for a PR",
        ChangeFacts(head_branch="claude/pr-7-20260115-0930"),
        "(Claude Code branch name)",
        "Claude Code",
    ),
    (
        "claude code on the web branch",
        ChangeFacts(head_branch="claude/unzip-repo-file-011CUXwmscMyCo1scgChp9E2"),
        "(Claude Code branch name)",
        "Claude Code",
    ),
    (
        "claude session trailer",
        ChangeFacts(
            commits=(
                commit(
                    "feat: verify dependencies at startup\n\n"
                    "Preflight is on by default.\n\n"
                    "Claude-Session: https://claude.ai/code/session_01MgNYH1A9cGSt3nU71SJKyc"
                ),
            )
        ),
        "trailer Claude-Session: https://claude.ai/code/session_01MgNYH1A9cGSt3nU71SJKyc",
        "Claude Code",
    ),
    (
        "claude trailer naming the model",
        ChangeFacts(
            commits=(commit("Fix\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n"),)
        ),
        "trailer Claude Opus 4.5 <noreply@anthropic.com>",
        "Claude Code",
    ),
    (
        "claude-code-action commit identity",
        ChangeFacts(
            commits=(
                commit(
                    "Add retry",
                    author=("claude[bot]", "209825114+claude[bot]@users.noreply.github.com"),
                    login=None,
                ),
            )
        ),
        "author claude[bot] <209825114+claude[bot]@users.noreply.github.com>",
        "Claude Code",
    ),
    ("codex branch", ChangeFacts(head_branch="codex/add-health-endpoint"), "prefix codex/", "OpenAI Codex"),
    (
        "codex connector",
        ChangeFacts(author_login="chatgpt-codex-connector[bot]"),
        "PR author",
        "OpenAI Codex",
    ),
    (
        "codex cli co-author trailer",
        ChangeFacts(commits=(commit("Use prompt-based attribution\n\nCo-authored-by: Codex <noreply@openai.com>"),)),
        "trailer Codex <noreply@openai.com>",
        "OpenAI Codex",
    ),
    (
        "codex co-author at codex@openai.com",
        ChangeFacts(commits=(commit("Fix tokenizer\n\nCo-authored-by: OpenAI Codex <codex@openai.com>"),)),
        "trailer OpenAI Codex <codex@openai.com>",
        "OpenAI Codex",
    ),
    (
        "openai-codex bot as commit author",
        ChangeFacts(
            commits=(
                commit(
                    "Address review",
                    author=("openai-codex[bot]", "215057067+openai-codex[bot]@users.noreply.github.com"),
                    login="openai-codex[bot]",
                ),
            )
        ),
        "author account openai-codex[bot]",
        "OpenAI Codex",
    ),
    (
        "cursor trailer",
        ChangeFacts(commits=(commit("Add cache\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>"),)),
        "trailer Cursor Agent <cursoragent@cursor.com>",
        "Cursor",
    ),
    ("cursor branch", ChangeFacts(head_branch="cursor/add-rate-limit-3f2a"), "prefix cursor/", "Cursor"),
    (
        "cursor made-with trailer",
        ChangeFacts(commits=(commit("complete fix: liq, dupe rows\n\nMade-with: Cursor"),)),
        "trailer Made-with: Cursor",
        "Cursor",
    ),
    ("devin PR author", ChangeFacts(author_login="devin-ai-integration[bot]"), "PR author", "Devin"),
    (
        "devin commit email",
        ChangeFacts(
            commits=(
                commit(
                    "Update handler",
                    author=("Devin AI", "158243242+devin-ai-integration[bot]@users.noreply.github.com"),
                    login=None,
                ),
            )
        ),
        "author Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "Devin",
    ),
    (
        "devin branch",
        ChangeFacts(head_branch="devin/1778072676-efficient-harness-note"),
        "head branch devin/1778072676-efficient-harness-note (Devin branch name)",
        "Devin",
    ),
    (
        "devin co-author trailer",
        ChangeFacts(
            commits=(
                commit(
                    "Fix flaky test\n\n"
                    "Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>"
                ),
            )
        ),
        "trailer Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "Devin",
    ),
    ("jules", ChangeFacts(author_login="google-labs-jules[bot]"), "PR author", "Jules"),
    (
        "jules co-author on a PR opened by the user",
        ChangeFacts(
            author_login="janedoe",
            commits=(
                commit(
                    "Add DisposalGate\n\n"
                    "Co-Authored-By: google-labs-jules[bot] "
                    "<161369871+google-labs-jules[bot]@users.noreply.github.com>"
                ),
            ),
        ),
        "trailer google-labs-jules[bot]",
        "Jules",
    ),
    (
        "aider author suffix",
        ChangeFacts(commits=(commit("feat: add timeout", author=("Jane Doe (aider)", "jane@example.com")),)),
        "author name 'Jane Doe (aider)'",
        "Aider",
    ),
    (
        "aider committer suffix",
        ChangeFacts(
            commits=(commit("feat: add timeout", committer=("Jane Doe (aider)", "jane@example.com")),)
        ),
        "committer name",
        "Aider",
    ),
    (
        "aider subject prefix",
        ChangeFacts(commits=(commit("aider: Added timeout to requests.get"),)),
        "subject 'aider: Added timeout",
        "Aider",
    ),
    (
        "aider co-authored-by",
        ChangeFacts(
            commits=(commit("feat: x\n\nCo-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>"),)
        ),
        "trailer aider",
        "Aider",
    ),
    (
        "aider co-authored-by, current address",
        ChangeFacts(
            commits=(
                commit(
                    "refactor: Fix TypeScript compilation errors\n\n"
                    "Co-authored-by: aider (anthropic/claude-sonnet-4-20250514) <aider@aider.chat>"
                ),
            )
        ),
        "trailer aider (anthropic/claude-sonnet-4-20250514) <aider@aider.chat>",
        "Aider",
    ),
    ("amazon q", ChangeFacts(author_login="amazon-q-developer[bot]"), "PR author", "Amazon Q Developer"),
    (
        "openhands trailer",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: openhands <openhands@all-hands.dev>"),)),
        "trailer openhands <openhands@all-hands.dev>",
        "OpenHands",
    ),
    (
        "openhands commit author",
        ChangeFacts(
            commits=(
                commit("fix outcome_review_check", author=("openhands", "openhands@all-hands.dev"), login=None),
            )
        ),
        "author openhands <openhands@all-hands.dev>",
        "OpenHands",
    ),
    (
        "openhands resolver branch",
        ChangeFacts(head_branch="openhands-fix-issue-42-try2"),
        "prefix openhands-fix-issue-",
        "OpenHands",
    ),
    (
        "factory droid co-author",
        ChangeFacts(
            commits=(
                commit(
                    "Update TinyView data\n\n"
                    "Co-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>"
                ),
            )
        ),
        "trailer factory-droid[bot]",
        "Factory Droid",
    ),
    ("sweep PR author", ChangeFacts(author_login="sweep-ai[bot]"), "PR author sweep-ai[bot]", "Sweep"),
    (
        "opencode co-author",
        ChangeFacts(
            commits=(
                commit(
                    "feat: add DI system\n\n🤖 Generated with opencode\n\n"
                    "Co-Authored-By: opencode <noreply@opencode.ai>"
                ),
            )
        ),
        "trailer opencode <noreply@opencode.ai>",
        "OpenCode",
    ),
    (
        "opencode generated-with line only",
        ChangeFacts(commits=(commit("feat: add DI system\n\n🤖 Generated with opencode"),)),
        "line '🤖 Generated with opencode'",
        "OpenCode",
    ),
    (
        "replit agent checkpoint",
        ChangeFacts(
            commits=(
                commit(
                    "Update merchant portal components\n\n"
                    "Replit-Commit-Author: Agent\n"
                    "Replit-Commit-Session-Id: 5e5ec4ea-3b62-4fbd-8ff5-a1174ccc19b4\n"
                    "Replit-Commit-Checkpoint-Type: full_checkpoint"
                ),
            )
        ),
        "trailer Replit-Commit-Author: Agent",
        "Replit Agent",
    ),
    (
        "amp thread trailer",
        ChangeFacts(
            commits=(
                commit(
                    "Fix\n\nAmp-Thread-ID: https://ampcode.com/threads/T-1234\n"
                    "Co-authored-by: Amp <amp@ampcode.com>"
                ),
            )
        ),
        "trailer Amp-Thread-ID: https://ampcode.com/threads/T-1234",
        "Amp",
    ),
    (
        "case-insensitive login",
        ChangeFacts(author_login="COPILOT"),
        "PR author COPILOT",
        "GitHub Copilot coding agent",
    ),
    # Added 2026-12-02, each with the exact spelling found (docs/agents.md) and a near miss below.
    (
        "copilot coding agent by its API account id",
        ChangeFacts(commits=(Commit("9f8e7d6c5b4a", "Initial plan", "copilot-swe-agent[bot]",
                                    "198982749+Copilot@users.noreply.github.com", "Copilot", author_id=198982749),)),
        "commit 9f8e7d6 author account Copilot",
        "GitHub Copilot coding agent",
    ),
    (
        "copilot CLI co-author",
        ChangeFacts(commits=(commit("fix: remediate vulnerability alerts\n\n"
                                    "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>"),)),
        "trailer Copilot <223556219+Copilot@users.noreply.github.com>",
        "GitHub Copilot CLI",
    ),
    ("lovable PR author", ChangeFacts(author_login="lovable-dev[bot]"), "PR author lovable-dev[bot]", "Lovable"),
    (
        "lovable commit author, the App's earlier name",
        ChangeFacts(commits=(commit("Update gallery page logic",
                                    author=("gpt-engineer-app[bot]",
                                            "159125892+gpt-engineer-app[bot]@users.noreply.github.com"),
                                    login=None),)),
        "author gpt-engineer-app[bot] <159125892+gpt-engineer-app[bot]@users.noreply.github.com>",
        "Lovable",
    ),
    (
        "lovable template commit",
        ChangeFacts(commits=(commit("template: tanstack_start_ts", author=("Lovable", "noreply@lovable.dev"),
                                    login=None),)),
        "author Lovable <noreply@lovable.dev>",
        "Lovable",
    ),
    (
        "v0 commit author",
        ChangeFacts(commits=(commit("Add manual quantity input", author=("v0[bot]", "v0[bot]@users.noreply.github.com"),
                                    login=None),)),
        "author v0[bot] <v0[bot]@users.noreply.github.com>",
        "v0",
    ),
    (
        "v0 commit author named v0",
        ChangeFacts(commits=(commit("feat: enlarge and modernize calculator screen\n\n#VERCEL_SKIP\n\n"
                                    "Co-authored-by: Achraf_lm <87104971+achraflm@users.noreply.github.com>",
                                    author=("v0", "v0[bot]@users.noreply.github.com"), login=None,
                                    committer=("v0", "v0[bot]@users.noreply.github.com")),)),
        "author v0 <v0[bot]@users.noreply.github.com>",
        "v0",
    ),
    (
        "v0 co-author",
        ChangeFacts(commits=(commit("docs: Add AI reference documentation\n\n"
                                    "Co-authored-by: v0[bot] <v0[bot]@users.noreply.github.com>"),)),
        "trailer v0[bot] <v0[bot]@users.noreply.github.com>",
        "v0",
    ),
    (
        "warp co-author",
        ChangeFacts(commits=(commit("chore(wiki): apply bundle\n\nCo-Authored-By: Warp <agent@warp.dev>"),)),
        "trailer Warp <agent@warp.dev>",
        "Warp",
    ),
    (
        "warp oz co-author",
        ChangeFacts(commits=(commit("Update third-party labels\n\nCo-Authored-By: Oz <oz-agent@warp.dev>"),)),
        "trailer Oz <oz-agent@warp.dev>",
        "Warp",
    ),
    (
        "crush co-author",
        ChangeFacts(commits=(commit("Fix flags\n\n💘 Generated with Crush\n\n"
                                    "Co-Authored-By: Crush <crush@charm.land>"),)),
        "trailer Crush <crush@charm.land>",
        "Crush",
    ),
    (
        "crush assisted-by trailer",
        ChangeFacts(commits=(commit("Fix flags\n\nAssisted-by: Grok Code Fast via Crush <crush@charm.land>"),)),
        "trailer Grok Code Fast via Crush <crush@charm.land>",
        "Crush",
    ),
    (
        "crush co-author, the 'Charm Crush' form",
        ChangeFacts(commits=(commit("shell: switch config value expansion to lenient by default\n\n"
                                    "Co-Authored-By: Charm Crush <crush@charm.land>"),)),
        "trailer Charm Crush <crush@charm.land>",
        "Crush",
    ),
    (
        "crush generated-with line only",
        ChangeFacts(commits=(commit("Fix flags\n\n💘 Generated with Crush"),)),
        "line '💘 Generated with Crush'",
        "Crush",
    ),
    (
        "qwen code co-author",
        ChangeFacts(commits=(commit("fix(release): harden the docker disk reclaim\n\n"
                                    "Co-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>"),)),
        "trailer Qwen-Coder <qwen-coder@alibabacloud.com>",
        "Qwen Code",
    ),
    (
        "trae cli co-author",
        ChangeFacts(commits=(commit("[Runtime] Don't override CUDA_MODULE_LOADING (#35711)\n\n"
                                    "Co-authored-by: TRAE CLI <traecli@bytedance.com>"),)),
        "trailer TRAE CLI <traecli@bytedance.com>",
        "TRAE CLI",
    ),
    ("roomote PR author", ChangeFacts(author_login="roomote[bot]"), "PR author roomote[bot]",
     "Roomote (Roo Code cloud agent)"),
    (
        "roomote commit author under the App's earlier name",
        ChangeFacts(commits=(commit("chore: remove hiring announcement from VS Code extension (#12108)",
                                    author=("roomote-v0[bot]", "219738659+roomote-v0[bot]@users.noreply.github.com"),
                                    login=None),)),
        "author roomote-v0[bot] <219738659+roomote-v0[bot]@users.noreply.github.com>",
        "Roomote (Roo Code cloud agent)",
    ),
    (
        "roomote squash trailer",
        ChangeFacts(commits=(commit("fix: remove Netflix logo from homepage (#11787)\n\n"
                                    "Co-authored-by: Roo Code <roomote@roocode.com>"),)),
        "trailer Roo Code <roomote@roocode.com>",
        "Roomote (Roo Code cloud agent)",
    ),
    (
        "roomote co-author",
        ChangeFacts(commits=(commit("Fix setup announcement\n\nCo-authored-by: Roomote <roomote@roocode.com>"),)),
        "trailer Roomote <roomote@roocode.com>",
        "Roomote (Roo Code cloud agent)",
    ),
    ("kiro agent PR author", ChangeFacts(author_login="kiro-agent[bot]"), "PR author kiro-agent[bot]", "Kiro"),
    ("codegen PR author", ChangeFacts(author_login="codegen-sh[bot]"), "PR author codegen-sh[bot]", "Codegen"),
    ("tembo PR author", ChangeFacts(author_login="tembo[bot]"), "PR author tembo[bot]", "Tembo"),
    ("charlie PR author", ChangeFacts(author_login="charliecreates[bot]"), "PR author charliecreates[bot]", "Charlie"),
    ("opencode agent PR author", ChangeFacts(author_login="opencode-agent[bot]"), "PR author opencode-agent[bot]",
     "OpenCode"),
    (
        "opencode agent co-author",
        ChangeFacts(commits=(commit("fix: default unknown models to 200k/32k\n\n"
                                    "Co-authored-by: opencode <opencode-agent[bot]@users.noreply.github.com>"),)),
        "trailer opencode <opencode-agent[bot]@users.noreply.github.com>",
        "OpenCode",
    ),
    (
        "mistral vibe co-author",
        ChangeFacts(commits=(commit("ci: pin reusable workflows\n\nGenerated by Mistral Vibe.\n"
                                    "Co-Authored-By: Mistral Vibe <vibe@mistral.ai>"),)),
        "trailer Mistral Vibe <vibe@mistral.ai>",
        "Mistral Vibe",
    ),
    (
        "mistral vibe generated-by line only",
        ChangeFacts(commits=(commit("ci: pin reusable workflows\n\nGenerated by Mistral Vibe."),)),
        "line 'Generated by Mistral Vibe.'",
        "Mistral Vibe",
    ),
    (
        "factory droid's other address",
        ChangeFacts(commits=(commit("Add tooling for devices\n\nCo-authored-by: Droid <droid@factory.ai>"),)),
        "trailer Droid <droid@factory.ai>",
        "Factory Droid",
    ),
    (
        "openhands at its new domain",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: openhands <openhands@openhands.dev>"),)),
        "trailer openhands <openhands@openhands.dev>",
        "OpenHands",
    ),
]


@pytest.mark.parametrize(
    ("facts", "signal", "agent"), [c[1:] for c in AI_CASES], ids=[c[0] for c in AI_CASES]
)
def test_ai_signals(facts: ChangeFacts, signal: str, agent: str | None) -> None:
    a = detect(facts)
    assert a.ai is True
    assert a.agent == agent
    assert a.signal is not None and signal in a.signal, a.signal
    assert a.evidence[0] == a.signal


# Near misses: each looks a little like an agent and is not one.
HUMAN_CASES: list[tuple[str, ChangeFacts]] = [
    (
        "colleague co-author",
        ChangeFacts(commits=(commit("Pair on the retry\n\nCo-authored-by: Jane Doe <jane@example.com>"),)),
    ),
    (
        "colleague named Claude",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Claude Martin <claude.martin@example.com>"),)),
    ),
    (
        "claude in prose",
        ChangeFacts(
            commits=(
                commit(
                    "Compare with what Claude suggested\n\n"
                    "I asked claude code about this but wrote it myself."
                ),
            )
        ),
    ),
    (
        "generated with, mid-sentence",
        ChangeFacts(
            commits=(
                commit(
                    "Regenerate stubs\n\nThe stubs were generated with protoc; see Makefile. "
                    "Not generated with Claude Code."
                ),
            )
        ),
    ),
    ("generated with another tool", ChangeFacts(commits=(commit("Bump\n\nGenerated with protoc 25.1"),))),
    ("branch without slash", ChangeFacts(head_branch="copilotfix")),
    ("branch containing an agent name", ChangeFacts(head_branch="feature/cursor-pagination")),
    ("branch codexes", ChangeFacts(head_branch="codexes/update")),
    ("dependabot", ChangeFacts(author_login="dependabot[bot]", head_branch="dependabot/pip/requests-2.32.0")),
    ("human login resembling an agent", ChangeFacts(author_login="copilot-fan")),
    # 'claude' is a person's GitHub account (a User, not the Claude app, which is claude[bot]).
    ("the person whose login is claude", ChangeFacts(author_login="claude", head_branch="claude/notes")),
    (
        "noreply address of a person",
        ChangeFacts(
            commits=(commit("x", author=("Dev", "12345+devin@users.noreply.github.com"), login="devin"),)
        ),
    ),
    (
        "trailer text in the subject",
        ChangeFacts(commits=(commit("Co-Authored-By: Claude <noreply@anthropic.com>"),)),
    ),
    (
        "aider in the middle of a name",
        ChangeFacts(commits=(commit("x", author=("Aider Smith", "a@example.com")),)),
    ),
    ("unknown label", ChangeFacts(labels=("bug", "ai"))),
    # A person called Claude or Devin with '<name>/<topic>' branches: only the agents' full shapes count.
    ("a person's claude/ branch", ChangeFacts(head_branch="claude/fix-login-redirect")),
    ("a person's claude/ branch with a date", ChangeFacts(head_branch="claude/issue-12-fix-login")),
    ("a person's devin/ branch", ChangeFacts(head_branch="devin/fix-timeouts")),
    ("a devin/ branch with a short number", ChangeFacts(head_branch="devin/1234-fix-timeouts")),
    # 'sweep/' is a common word for clean-up branches (other automation uses it too); Sweep's PRs are
    # found by their author sweep-ai[bot].
    ("a clean-up sweep/ branch", ChangeFacts(head_branch="sweep/remove-dead-code")),
    (
        "claude-session in prose, not a trailer",
        ChangeFacts(commits=(commit("Drop the Claude-Session: line from the commit template"),)),
    ),
    (
        "a made-with trailer naming something else",
        ChangeFacts(commits=(commit("Add logo\n\nMade-with: Inkscape"),)),
    ),
    (
        "made-with cursor as a longer phrase",
        ChangeFacts(commits=(commit("Add logo\n\nMade-with: Cursor-less keyboard shortcuts"),)),
    ),
    (
        "replit deployment, not the agent",
        ChangeFacts(
            commits=(
                commit(
                    "Published your App\n\nReplit-Commit-Author: Deployment\n"
                    "Replit-Commit-Deployment-Build-Id: cf3bfff2-d039-4cae-9e7e-53a1da7a616a"
                ),
            )
        ),
    ),
    (
        "a colleague at OpenAI with a personal address",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Sam Codex <sam@openai.com>"),)),
    ),
    (
        "copilot in VS Code's co-author address is not built in",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Copilot <copilot@github.com>"),)),
    ),
    (
        "opencode named mid-sentence",
        ChangeFacts(commits=(commit("Docs\n\nThis was not generated with opencode; see notes."),)),
    ),
    (
        "aider at another domain",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: aider (gpt-4o) <aider@example.com>"),)),
    ),
    # Near misses for the identities added 2026-12-02: people at the same companies, similar logins, prose.
    ("a person at Lovable", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Ana Silva <ana@lovable.dev>"),))),
    ("a login like Lovable's App but not the bot", ChangeFacts(author_login="gpt-engineer-app")),
    (
        "a person whose login starts with v0",
        ChangeFacts(commits=(commit("x", author=("V. Oh", "4242+v0dev@users.noreply.github.com"), login="v0dev"),)),
    ),
    ("v0[bot] named in prose", ChangeFacts(commits=(commit("Undo what v0[bot] committed yesterday"),))),
    # A Warp engineer's own trailer, from warpdotdev/oz-agent-action's history.
    ("a person at Warp", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Ben Navetta <ben@warp.dev>"),))),
    ("a person at Charm", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Christian <christian@charm.land>"),))),
    ("a dependency bump of a charm.land module", ChangeFacts(
        commits=(commit("chore(deps): bump the all group across 1 directory with 7 updates (#3545)\n\n"
                        "| [charm.land/catwalk](https://github.com/charmbracelet/catwalk) | `0.51.6` | `0.51.18` |",
                        author=("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
                        login="dependabot[bot]"),))),
    ("generated with a tool whose name starts like Crush", ChangeFacts(
        commits=(commit("Assets\n\nGenerated with Crushinator 2.1"),))),
    ("a human assisted-by credit", ChangeFacts(commits=(commit("Fix\n\nAssisted-by: Daniel <daniel@example.se>"),))),
    ("a person at Alibaba Cloud", ChangeFacts(
        commits=(commit("Fix\n\nCo-authored-by: Li Wei <li.wei@alibabacloud.com>"),))),
    ("a person at ByteDance", ChangeFacts(
        commits=(commit("Fix\n\nCo-authored-by: Zhang San <zhangsan@bytedance.com>"),))),
    ("a roomote login without [bot]", ChangeFacts(author_login="roomote")),
    ("a person at Roo Code", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Matt <matt@roocode.com>"),))),
    # Roo-Code's history has commits named 'Roomote' with a person's address: not matched.
    ("a person's address under the agent's name", ChangeFacts(
        commits=(commit("x", author=("Roomote Bot", "chris@roocode.com"), login=None),))),
    # Logins without [bot] are accounts a person could own; a branch named after Tembo is not counted.
    ("a kiro login without [bot]", ChangeFacts(author_login="kiro-agent")),
    # A team's own Kiro co-author convention, not one Kiro writes (docs/agents.md).
    ("a team's own kiro.dev co-author", ChangeFacts(
        commits=(commit("Fix\n\nCo-authored-by: AI Assistant <ai@kiro.dev>"),))),
    ("a codegen login without [bot]", ChangeFacts(author_login="codegen-sh")),
    ("a tembo/ branch", ChangeFacts(head_branch="tembo/fix-login")),
    ("a charliecreates login without [bot]", ChangeFacts(author_login="charliecreates")),
    ("an opencode login without [bot]", ChangeFacts(author_login="opencode-agent")),
    ("a person at Mistral", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Ana <ana@mistral.ai>"),))),
    ("generated by mistral vibes, not the agent", ChangeFacts(
        commits=(commit("Playlist\n\nGenerated by Mistral Vibes radio"),))),
    ("a person at Factory", ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Sam <sam@factory.ai>"),))),
    ("a person at OpenHands", ChangeFacts(
        commits=(commit("Fix\n\nCo-authored-by: Graham <graham@openhands.dev>"),))),
    ("jules@google.com is a first-name address", ChangeFacts(
        commits=(commit("x", author=("Jules", "jules@google.com"), login=None),))),
    (
        "the id of Copilot CLI with a person's login",
        ChangeFacts(commits=(commit("Fix\n\nCo-authored-by: Jane <223556219+janedoe@users.noreply.github.com>"),)),
    ),
    ("nothing at all", ChangeFacts()),
]


@pytest.mark.parametrize("facts", [c[1] for c in HUMAN_CASES], ids=[c[0] for c in HUMAN_CASES])
def test_near_misses_are_not_ai(facts: ChangeFacts) -> None:
    a = detect(facts)
    assert a.ai is False and a.agent is None and a.signal is None and a.assisted is False


POLICY = Signals(
    bots=("acme-coder[bot]",),
    trailers=("X-Acme-Agent:", "Co-authored-by: Acme Coder"),
    branch_prefixes=("agent/",),
    labels=("AI-Generated",),
    emails=("agent@acme.dev",),
)

POLICY_CASES: list[tuple[str, ChangeFacts, str | None]] = [
    (
        "policy bot as PR author",
        ChangeFacts(author_login="acme-coder[bot]"),
        "PR author acme-coder[bot] (policy authorship.bots)",
    ),
    (
        "policy bot as commit author",
        ChangeFacts(commits=(commit("x", login="acme-coder[bot]"),)),
        "author acme-coder[bot] (policy authorship.bots)",
    ),
    (
        "policy email",
        ChangeFacts(commits=(commit("x", author=("Bot", "agent@acme.dev")),)),
        "author Bot <agent@acme.dev> (policy authorship.emails)",
    ),
    (
        "policy email in trailer",
        ChangeFacts(commits=(commit("x\n\nCo-authored-by: Bot <agent@acme.dev>"),)),
        "trailer Bot <agent@acme.dev> (policy authorship.emails)",
    ),
    (
        "policy trailer key",
        ChangeFacts(commits=(commit("x\n\nX-Acme-Agent: run 42"),)),
        "trailer X-Acme-Agent: run 42 (policy authorship.trailers)",
    ),
    (
        "policy trailer prefix",
        ChangeFacts(commits=(commit("x\n\nCo-authored-by: Acme Coder <c@acme.dev>"),)),
        "(policy authorship.trailers)",
    ),
    (
        "policy trailer prefix is not a word prefix",
        ChangeFacts(commits=(commit("x\n\nCo-authored-by: Acme Coderson <j@acme.dev>"),)),
        None,
    ),
    (
        "policy branch prefix",
        ChangeFacts(head_branch="agent/task-9"),
        "head branch agent/task-9 (policy authorship.branch_prefixes: agent/)",
    ),
    (
        "policy label, any case",
        ChangeFacts(labels=("ai-generated",)),
        "label ai-generated (policy authorship.labels)",
    ),
]


@pytest.mark.parametrize(("facts", "signal"), [c[1:] for c in POLICY_CASES], ids=[c[0] for c in POLICY_CASES])
def test_policy_signals(facts: ChangeFacts, signal: str | None) -> None:
    a = detect(facts, POLICY)
    if signal is None:
        assert a.ai is False
    else:
        assert a.ai is True and a.agent is None and a.signal is not None and signal in a.signal, a.signal


def test_builtin_table_can_be_switched_off() -> None:
    facts = ChangeFacts(author_login="Copilot", head_branch="agent/x")
    assert detect(facts, Signals(builtin=False)).ai is False
    assert (
        detect(facts, Signals(builtin=False, branch_prefixes=("agent/",))).signal
        == "head branch agent/x (policy authorship.branch_prefixes: agent/)"
    )


def test_the_strongest_signal_is_named_first_and_all_are_kept() -> None:
    facts = ChangeFacts(
        author_login="Copilot",
        head_branch="copilot/x",
        commits=(commit("x\n\nCo-authored-by: Claude <noreply@anthropic.com>", sha="ffff0000aaaa"),),
    )
    a = detect(facts)
    assert a.signal == "PR author Copilot" and a.agent == "GitHub Copilot coding agent"
    assert a.evidence == (
        "PR author Copilot",
        "commit ffff000 trailer Claude <noreply@anthropic.com>",
        "head branch copilot/x (prefix copilot/)",
    )


def test_the_commit_is_named_by_its_short_sha() -> None:
    facts = ChangeFacts(
        commits=(
            commit("a"),
            commit("b\n\nCo-authored-by: Claude <noreply@anthropic.com>", sha="0123456789abcdef"),
        )
    )
    assert detect(facts).signal == "commit 0123456 trailer Claude <noreply@anthropic.com>"


def test_trailers_parse_only_after_the_subject() -> None:
    assert trailers("Key: subject\n\nReviewed-by: A <a@x>\nCo-authored-by: B <b@x>\n") == [
        ("Reviewed-by", "A <a@x>"),
        ("Co-authored-by", "B <b@x>"),
    ]


def test_commit_cap_is_github_s_and_the_note_says_so() -> None:
    assert MAX_PR_COMMITS == 250
    assert "250" in COMMITS_TRUNCATED_NOTE


def test_every_builtin_agent_is_documented_with_evidence() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "agents.md").read_text()
    for agent in BUILTIN_AGENTS:
        assert f"### {agent.name}" in doc, agent.name
        for spelling in (*agent.logins, *agent.emails, *agent.branch_prefixes, *agent.name_suffixes,
                         *agent.branch_patterns):
            assert f"`{spelling}`" in doc, (agent.name, spelling)
        for spelling in (*agent.trailer_keys, *agent.trailer_lines):
            assert f"`{spelling}".lower() in doc.lower(), (agent.name, spelling)
        for login, account_id in agent.account_ids:
            assert f"`{login}`" in doc and str(account_id) in doc, (agent.name, login, account_id)


# A person committed a Copilot suggestion: AI-assisted, not agent-authored (docs/agents.md).
REVIEW_SUGGESTION = "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"
AUTOFIX = "Co-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>"
SCANNING_AUTOFIX = ("Co-authored-by: Copilot Autofix powered by AI "
                    "<62310815+github-advanced-security[bot]@users.noreply.github.com>")

ASSISTED_CASES: list[tuple[str, ChangeFacts, str, str]] = [
    (
        "committed code-review suggestion",
        ChangeFacts(commits=(commit(f"Update docs/credentials.md\n\n{REVIEW_SUGGESTION}"),)),
        "commit 1a2b3c4 trailer Copilot <175728472+Copilot@users.noreply.github.com>",
        "GitHub Copilot code review suggestion",
    ),
    (
        "copilot autofix of a review finding",
        ChangeFacts(commits=(commit(f"Potential fix for pull request finding\n\n{AUTOFIX}"),)),
        "trailer Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>",
        "GitHub Copilot code review suggestion",
    ),
    (
        "copilot autofix of a code-scanning alert",
        ChangeFacts(commits=(commit("Potential fix for code scanning alert no. 1: Workflow does not contain "
                                    f"permissions\n\n{SCANNING_AUTOFIX}"),)),
        "trailer Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@users.noreply.github.com>",
        "Copilot Autofix for code scanning",
    ),
    (
        # The API maps the 175728472 address to the account `Copilot`, id 175728472: the login alone
        # would say "coding agent"; the id says otherwise.
        "the review account as a commit's API author",
        ChangeFacts(commits=(Commit("5e5e5e5e5e5e", "Apply suggestion", "Copilot",
                                    "175728472+Copilot@users.noreply.github.com", "Copilot", author_id=175728472),)),
        "commit 5e5e5e5 author account Copilot",
        "GitHub Copilot code review suggestion",
    ),
]


@pytest.mark.parametrize(("facts", "signal", "agent"), [c[1:] for c in ASSISTED_CASES],
                         ids=[c[0] for c in ASSISTED_CASES])
def test_committed_copilot_suggestions_are_assisted_not_agent_authored(
        facts: ChangeFacts, signal: str, agent: str) -> None:
    a = detect(facts)
    assert (a.ai, a.agent, a.signal) == (False, None, None)
    assert a.assisted is True and a.assisted_signal is not None and signal in a.assisted_signal, a.assisted_signal
    assert a.evidence == (a.assisted_signal,)
    # Policy authorship.assisted: ai counts them, and says they were assisted.
    counted = detect(facts, Signals(assisted="ai"))
    assert (counted.ai, counted.agent, counted.signal, counted.assisted) == (True, agent, a.assisted_signal, True)


def test_the_coding_agent_s_id_stays_agent_authored_next_to_a_suggestion() -> None:
    facts = ChangeFacts(commits=(
        Commit("aaaa1111bbbb", "Initial plan", "copilot-swe-agent[bot]",
               "198982749+Copilot@users.noreply.github.com", "Copilot", author_id=198982749),
        commit(f"Apply suggestion\n\n{REVIEW_SUGGESTION}", sha="bbbb2222cccc"),
    ))
    a = detect(facts)
    assert (a.ai, a.agent, a.signal) == (True, "GitHub Copilot coding agent", "commit aaaa111 author account Copilot")
    assert a.assisted is True
    assert a.assisted_signal == "commit bbbb222 trailer Copilot <175728472+Copilot@users.noreply.github.com>"
    assert a.evidence[-1] == a.assisted_signal


@pytest.mark.parametrize(("login", "account_id", "agent"), [
    ("Copilot", 198982749, "GitHub Copilot coding agent"),
    ("Copilot", 175728472, None),  # the review account: assisted
    ("Copilot", 424242, None),  # an unknown account that shares the login: neither
    ("Copilot", None, "GitHub Copilot coding agent"),  # no id known: the login alone, as before
])
def test_the_copilot_login_is_matched_by_account_id(login: str, account_id: int | None, agent: str | None) -> None:
    facts = ChangeFacts(commits=(Commit("0a0a0a0a0a0a", "x", "Copilot", "", login, author_id=account_id),))
    assert detect(facts).agent == agent


def test_assisted_signals_need_the_id() -> None:
    """Without the id, the shared login 'Copilot' is not taken for the review account, nor the scanning bot."""
    for trailer in ("Co-authored-by: Copilot Autofix powered by AI "
                    "<github-advanced-security[bot]@users.noreply.github.com>",
                    "Co-authored-by: Copilot <Copilot@users.noreply.github.com>"):
        assert detect(ChangeFacts(commits=(commit(f"Fix\n\n{trailer}"),))).assisted is False


def test_policy_emails_match_in_assisted_by_trailers_too() -> None:
    facts = ChangeFacts(commits=(commit("x\n\nAssisted-by: Acme model via Bot <agent@acme.dev>"),))
    assert detect(facts, POLICY).signal == (
        "commit 1a2b3c4 trailer Acme model via Bot <agent@acme.dev> (policy authorship.emails)")
