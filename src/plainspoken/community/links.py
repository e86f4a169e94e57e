"""Links in posts: find them (``href`` targets and bare URLs) and give each one canonical form.

The canonical form lets "the same link" match across posts however it was shared: the scheme
and host are lowercased, default ports, fragments, user info and tracking or affiliate
parameters go (``utm_*``, ``fbclid``, ``gclid``, ``ref``, ``aff_id``, ``mc_*``, …), the
remaining query parameters are sorted, and an empty path becomes ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_plus, urljoin

from plainspoken.community.markup import decode_entities

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "epik", "s_kwcid", "ef_id", "_ga", "_gl",
        "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking", "mkt_tok", "trk",
        "trkcampaign", "sc_campaign", "oly_enc_id", "oly_anon_id", "vero_id", "vero_conv",
        "wickedid", "rb_clickid", "cjevent", "irclickid", "irgwc", "clickid", "ranmid",
        "raneaid", "ransiteid", "zanpid", "ref", "ref_src", "ref_url", "referrer", "referer",
        "aff", "affid", "aff_id", "aff_sub", "aff_sub2", "affiliate", "affiliate_id",
        "affiliateid", "partner_id", "partnerid", "spm", "share_source",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_", "hsa_", "itm_", "_bta_")
# Parameters that are tracking only on these hosts ("tag" is a real filter elsewhere).
_SHOP_PARAMETERS = {
    "amazon.": frozenset(
        {"tag", "linkcode", "linkid", "camp", "creative", "creativeasin", "ascsubtag", "th", "psc"}
    ),
    "youtube.com": frozenset({"feature", "si"}),
    "youtu.be": frozenset({"feature", "si"}),
}
_AMAZON_REF = re.compile(r"/ref=[^/]*$")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Case-sensitive on purpose: a literal prefix lets the regex engine skip ahead (markup from
# Stack Exchange, Discourse and Reddit writes lowercase ``href`` and ``http``).
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_BARE = re.compile(r"""https?://[^\s<>"'`{}|\\^\[\]]+""")
# scheme, (user info,) host, :port, path, query, #fragment; IPv6 hosts are not kept
_URL = re.compile(
    r"(?i)(https?)://(?:[^/?#@\s]*@)?([a-z0-9_.\-\u00a1-\uffff]+)(:\d*)?"
    r"(/[^?#\s]*)?(?:\?([^#\s]*))?(?:#\S*)?$"
)
_TRAILING = ".,;:!?'\"*_~"


@dataclass(frozen=True)
class Link:
    """One link as written and in canonical form, with its domain (host without ``www.``)."""

    url: str
    canonical_url: str
    domain: str


def _is_tracking(key: str, host: str) -> bool:
    low = key.lower()
    if low in TRACKING_PARAMETERS or low.startswith(TRACKING_PREFIXES):
        return True
    return any(shop in host and low in names for shop, names in _SHOP_PARAMETERS.items())


def domain_of(host: str) -> str:
    """The host without a leading ``www.``."""
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=65536)
def canonical(url: str) -> Link | None:
    """``url`` in canonical form, or None when it is not an absolute http(s) URL."""
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    match = _URL.match(raw)
    if match is None:
        return None
    scheme, host, port, path, query = match.groups()
    scheme = scheme.lower()
    host = host.lower().rstrip(".")
    if not host or ".." in host:
        return None
    netloc = host
    if port and int(port[1:] or _DEFAULT_PORTS[scheme]) != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{int(port[1:])}"
    path = path or "/"
    if "amazon." in host:
        path = _AMAZON_REF.sub("", path) or "/"
    if query:
        kept = sorted(
            pair for pair in query.split("&") if pair and not _is_tracking(_key(pair), host)
        )
        query = "&".join(kept)
    tail = f"?{query}" if query else ""
    return Link(url.strip(), f"{scheme}://{netloc}{path}{tail}", domain_of(host))


def _key(pair: str) -> str:
    key = pair.split("=", 1)[0]
    return unquote_plus(key) if "%" in key or "+" in key else key


def _trim(url: str) -> str:
    """A bare URL without the punctuation that ends the sentence around it."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url


def find_links(html: str | None, text: str | None = None, base: str | None = None) -> list[Link]:
    """Links in a post: ``href`` targets in ``html`` and bare URLs in ``text``, each once.

    Relative ``href`` targets are resolved against ``base`` (a site root such as
    ``https://iot.stackexchange.com``) when one is given, and dropped otherwise.
    """
    found: list[str] = []
    if html and "href" in html:
        for double, single in _HREF.findall(html):
            target = double or single
            if "&" in target:
                target = decode_entities(target)
            target = target.strip()
            if target.startswith("/") and not target.startswith("//"):
                if base is None:
                    continue
                target = urljoin(base, target)
            found.append(target)
    if text and "http" in text:
        found.extend(_trim(u) for u in _BARE.findall(text))
    links: list[Link] = []
    seen: set[str] = set()
    for url in found:
        link = canonical(url)
        if link is not None and link.canonical_url not in seen:
            seen.add(link.canonical_url)
            links.append(link)
    return links
