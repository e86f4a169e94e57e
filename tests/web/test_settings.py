"""Settings managed in the workbench: vocabularies, disabled rules, custom audiences and rule
packs change what a check finds, and bad values are refused with a message."""

from __future__ import annotations

from .webtools import Client, assert_envelope

PACK = """\
pack: house
rules:
  - id: house.banned
    category: house
    kind: existence
    level: warning
    message: "'{text}' is a word this team does not use."
    suggestion: Say what it does instead.
    terms: [hyperconverged]
    examples:
      fail: ["Our hyperconverged box."]
      pass: ["Our box runs storage and compute."]
"""


def rules_found(client: Client, text: str, audience: str | None = None) -> list[str]:
    body = client.post("/api/check", json={"text": text, "audience": audience}).json()
    return [f["rule"] for f in body["files"][0]["findings"]]


def test_vocabularies_and_disabled_rules_change_the_check(admin: Client) -> None:
    text = "We utilize Acme Sync to synergize the backlog."
    before = rules_found(admin, text)
    assert "wordy.phrase" in before
    response = admin.request(
        "PUT",
        "/api/settings",
        json={"disable": ["wordy"], "vocabulary_reject": ["backlog"]},
    )
    assert response.status_code == 200, response.text
    after = rules_found(admin, text)
    assert "wordy.phrase" not in after
    assert any("vocabulary" in rule for rule in after), after
    changed = admin.get("/api/settings").json()["changed_here"]
    assert changed == ["disable", "vocabulary_reject"]


def test_bad_settings_are_refused_and_nothing_changes(admin: Client) -> None:
    unknown = admin.request("PUT", "/api/settings", json={"disable": ["no-such-rule"]})
    assert "no-such-rule" in assert_envelope(unknown, 400, "bad_input")
    wrong = admin.request("PUT", "/api/settings", json={"vocabulary_accept": "Acme"})
    assert "list of strings" in assert_envelope(wrong, 400)
    fixed = admin.request("PUT", "/api/settings", json={"database_url": "sqlite://"})
    assert "cannot be changed here" in assert_envelope(fixed, 400)
    assert admin.get("/api/settings").json()["changed_here"] == []


def test_a_custom_audience_from_the_settings_page(admin: Client) -> None:
    form = {
        "audience": "it-practitioner",
        "audiences": '[ops-lead]\nbase = "it-practitioner"\ndescription = "Ops leads"\n'
        "[ops-lead.weights]\nwordy = 0\n",
    }
    response = admin.post("/settings", data=form, follow_redirects=False)
    assert response.status_code == 303
    names = [a["name"] for a in admin.get("/api/audiences").json()]
    assert "ops-lead" in names
    assert "wordy.phrase" not in rules_found(admin, "We utilize it.", "ops-lead")
    broken = admin.post("/settings", data={**form, "audiences": "[ops-lead\n"})
    assert broken.status_code == 400 and "not valid TOML" in broken.text


def test_rule_packs_are_checked_before_they_are_kept(admin: Client) -> None:
    bad = admin.post(
        "/settings/packs", data={}, files={"file": ("house.yaml", b"pack: house\nrules: [oops]\n")}
    )
    assert bad.status_code == 400 and "house.yaml" in bad.text
    assert admin.get("/api/settings").json()["settings"]["rule_packs"] == []
    good = admin.post(
        "/settings/packs",
        data={},
        files={"file": ("../../house.yaml", PACK.encode())},
        follow_redirects=False,
    )
    assert good.status_code == 303
    packs = admin.get("/api/settings").json()["settings"]["rule_packs"]
    assert len(packs) == 1 and packs[0].endswith("rule-packs/house.yaml")
    assert "house.banned" in rules_found(admin, "Our hyperconverged box.")
    removed = admin.post("/settings/packs/remove", data={"path": packs[0]}, follow_redirects=False)
    assert removed.status_code == 303
    assert "house.banned" not in rules_found(admin, "Our hyperconverged box.")
