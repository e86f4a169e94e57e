"""What users rely on from `plainspoken.check`: context, audiences, scores, positions."""

from __future__ import annotations

from pathlib import Path

from plainspoken import Settings, check


def rules_in(text: str, audience: str = "it-practitioner", **settings: object) -> list[str]:
    conf = Settings().with_overrides(**settings) if settings else None
    return [f.rule for f in check(text, audience=audience, settings=conf).findings]


def test_category_name_is_not_a_buzzword() -> None:
    assert "buzzword.hype-adjective" not in rules_in(
        "We replaced the old next-generation firewall."
    )
    assert "buzzword.hype-adjective" in rules_in("A next-generation approach to backup.")


def categories_in(text: str, audience: str = "it-practitioner") -> list[str]:
    return [f.category for f in check(text, audience=audience).findings if f.start is not None]


def test_claim_backed_by_number_in_same_sentence_passes() -> None:
    assert "vague-claim" not in categories_in(
        "It scales to 10,000 users on one server and improves performance by 30% in our tests."
    )
    assert "vague-claim" in categories_in("It improves performance for every team.")


def test_claim_backed_in_next_sentence_passes() -> None:
    text = "It reduces costs. Northwind cut its storage bill from $9,000 to $6,500 a month."
    assert "vague-claim" not in categories_in(text)


def test_claims_are_found_by_pattern_not_only_by_fixed_phrase() -> None:
    for text in (
        "Sentrix dramatically reduces operational overhead.",
        "Teams are strengthening their security posture with Sentrix.",
        "Customers report significant cost savings and rock-solid reliability.",
        "Smart baselining means fewer false alarms.",
        "The hosted version is much easier to manage.",
        "New branches come online in no time.",
    ):
        assert "vague-claim" in categories_in(text), text


def test_numbers_that_name_things_are_not_evidence() -> None:
    assert "vague-claim" in categories_in("VaultSphere 5 dramatically reduces risk.")
    assert "vague-claim" in categories_in("It cuts costs. Chapter 4 explains how.")
    assert "vague-claim" not in categories_in("It cut restore time from 4 hours to 20 minutes.")


def test_negated_or_advisory_benefits_are_not_claims() -> None:
    assert "vague-claim" not in categories_in("Moving to the cloud will not reduce costs.")
    assert "vague-claim" not in categories_in("To reduce risk, take a backup before the rebuild.")


def test_a_ranking_needs_a_source_not_just_a_number() -> None:
    assert "unsupported-superlative" in categories_in(
        "It is the fastest remote support tool. Pricing starts at $29 a month."
    )
    assert "unsupported-superlative" not in categories_in(
        "In the 2024 Tessel Labs test it was the fastest of the 17 products tested."
    )


def test_one_problem_is_reported_once() -> None:
    findings = check("Expect rock-solid reliability.").findings
    assert [(f.category, f.text) for f in findings] == [("vague-claim", "rock-solid reliability")]
    cats = categories_in("It accelerates your digital transformation journey.")
    assert "jargon-stack" in cats and cats.count("buzzword") == 0


def test_rankings_inside_a_longer_claim_are_kept() -> None:
    cats = categories_in("Pathwise delivers unparalleled visibility across your network.")
    assert "unsupported-superlative" in cats


def test_plain_technical_senses_are_not_flagged() -> None:
    for text in (
        "The median absolute deviation is a robust estimator.",
        "Messages use end-to-end encryption between agents.",
        "Enable TLS on the listener, then restart the service.",
        "Configure dynamic DNS and a smart card reader for each kiosk.",
        "Set a majority of the three witness nodes to agree before failover.",
        "CPU utilization stayed under 40% during the test.",
        "The network configuration backup runs nightly.",
        "Strip leading spaces and unlock the account from the admin page.",
        "The v1 API has been removed, as announced in 11.0.",
    ):
        assert categories_in(text) == [], text


def test_words_inside_proper_names_are_not_buzzwords() -> None:
    text = "Acme was named a finalist in the 2024 Cloud Operations Excellence Awards last week."
    assert "buzzword" not in categories_in(text)


def test_quoted_speech_is_checked_and_reported_as_quote() -> None:
    report = check('The CIO said: "This robust platform changed everything."')
    quoted = [f for f in report.findings if f.text == "robust"]
    assert quoted and quoted[0].quoted and quoted[0].message.startswith("In a quotation")


def test_workspace_vocabulary_accept_and_reject() -> None:
    text = "Seamless Sync copies files. It is a best-of-suite tool."
    assert "buzzword.hype-adjective" in rules_in(text)
    accepted = rules_in(text, vocabulary_accept=["Seamless Sync"])
    assert "buzzword.hype-adjective" not in accepted
    assert "buzzword.workspace-vocabulary" in rules_in(text, vocabulary_reject=["best-of-suite"])


def test_variants_of_a_term_are_found() -> None:
    for text in ("next generation tooling", "We are leveraging data.", "It leveraged caches."):
        assert any(r.startswith("buzzword.") for r in rules_in(text)), text


def test_same_text_differs_by_audience() -> None:
    text = (
        "We upgraded the CRM to version 8.4 on the new SAN cluster, delivering 99.99% uptime."
        " Users will notice nothing."
    )
    practitioner = check(text, audience="it-practitioner").files[0]
    business = check(text, audience="business-stakeholder").files[0]
    assert not any(f.category == "it-centric-framing" for f in practitioner.findings)
    assert {f.rule for f in business.findings} >= {
        "it-centric-framing.version-number",
        "it-centric-framing.nines",
        "it-centric-framing.users",
    }
    assert business.score < practitioner.score


def test_plain_copy_scores_higher_than_hype() -> None:
    plain = check(
        "The agent reads the event log every 30 seconds and sends new entries to the "
        "collector over TLS. It uses 40 MB of memory. It does not run on Windows XP."
    )
    hype = check(
        "Our robust, next-generation platform empowers teams to leverage seamless "
        "synergy and unlock world-class, industry-leading performance."
    )
    assert plain.files[0].score > 85 > 50 > hype.files[0].score
    assert plain.files[0].verdict.startswith("Plain")


def test_offsets_and_lines_point_into_the_original_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><style>.robust{}</style></head><body>\n<nav>robust menu</nav>\n"
        "<p>A truly <b>robust</b> tool &amp; more.</p>\n<script>var seamless=1</script>"
        "</body></html>",
        encoding="utf-8",
    )
    report = check(page)
    (finding,) = [f for f in report.findings if f.rule == "buzzword.hype-adjective"]
    source = page.read_text(encoding="utf-8")
    assert finding.start is not None and finding.end is not None
    assert source[finding.start : finding.end] == "robust"
    assert (finding.line, finding.column) == (3, 15)


def test_markdown_code_urls_and_front_matter_are_never_checked(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "---\ntitle: robust seamless\n---\n# Notes\n\nRun `leverage --robust` now.\n\n"
        "```\nseamless = robust\n```\n\nSee https://example.com/robust-seamless-synergy.\n",
        encoding="utf-8",
    )
    assert check(doc).findings == []


def test_json_schema_version_1() -> None:
    data = check("We utilize robust tooling.").to_dict()
    assert data["version"] == 1
    (file,) = data["files"]
    assert {"path", "audience", "score", "words", "findings"} <= set(file)
    for finding in file["findings"]:
        assert {
            "rule",
            "category",
            "level",
            "start",
            "end",
            "line",
            "column",
            "text",
            "message",
            "suggestion",
            "fix",
        } <= set(finding)
    fixes = [f["fix"] for f in file["findings"] if f["fix"] is not None]
    assert fixes == [{"replacement": "use"}]


def test_document_level_findings_have_no_span() -> None:
    text = " ".join(["Acme Flow brings monitoring and automation together for modern teams."] * 12)
    findings = check(text).findings
    doc = [f for f in findings if f.category == "document"]
    assert {f.rule for f in doc} >= {"document.capabilities", "document.limits"}
    assert all(f.start is None and f.line is None for f in doc)


def test_position_paper_word_window() -> None:
    short = check("We moved mail to the new server. It took two hours.", audience="position-paper")
    assert "metric.word-count" in [f.rule for f in short.findings]


def test_control_comments() -> None:
    text = (
        "<!-- plainspoken-disable buzzword -->\nA robust tool.\n"
        "<!-- plainspoken-enable buzzword -->\nA seamless tool.\n"
        "<!-- plainspoken-disable-next-line -->\nA robust, seamless tool.\nRobust again.\n"
    )
    flagged = [f.text for f in check(text).findings if f.category == "buzzword"]
    assert flagged == ["seamless", "Robust"]
