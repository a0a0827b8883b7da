"""Build pipeline/campaigns/taxonomy.yaml from ../shared/reference/campaigns.yaml.

usage: python scripts/build_taxonomy.py [REFERENCE_YAML] [OUT_YAML]

Ids are kept unchanged (the gold uses them). What the build decides, by rule:

* ``aliases``: the reference's aliases and aliases_unverified. A ``{tinh}``/``{năm}`` slot
  cuts the alias there (the part before is kept when it is a name of two words or more).
  An alias that combines two campaigns with "gắn với" keeps only its first part: the
  article names both, and both get tagged (campaigns.md, "Nesting and combinations").
* ``key_phrases``: a key phrase that is a piece of the campaign's own name or of one of
  its aliases, or a numbered document (``938/QĐ-TTg``), names the campaign: it is matched
  as an explicit mention.
* ``cues``: every other key phrase describes activity (``sạch nhà, sạch bếp, sạch ngõ``,
  ``sáng kiến, cải tiến kỹ thuật``) or is too common to name one campaign (a bare number
  or date, and the phrases of ``GENERIC`` below, each of which is found in ordinary news
  of the background corpus or in other campaigns' reports). Cues are not matched as
  mentions; they document the campaign and help a reader, and the classifier learns
  context on its own.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.campaigns.tokens import forms  # noqa: E402

DEFAULT_REF = REPO.parent / "shared" / "reference" / "campaigns.yaml"
DEFAULT_OUT = REPO / "pipeline" / "campaigns" / "taxonomy.yaml"

# Phrases too common to name one campaign: folded forms compared, reason in the comment.
GENERIC = {
    "rèn luyện phẩm chất đạo đức",  # army, police and school news use it for any training
    "hàng Việt",  # any Vietnamese goods
    "nông thôn mới",  # the state of a commune ("xã đạt chuẩn nông thôn mới"), not the name
    "NTM",  # the same, abbreviated
    "không để ai bị bỏ lại phía sau",  # a slogan of two successive movements and the SDGs
    "phụ nữ khởi nghiệp",  # a topic; "hỗ trợ phụ nữ khởi nghiệp" names the project
    "nhà dột nát",  # a housing condition
    "xóa nhà tạm",  # the verb phrase; the full name "xóa nhà tạm, nhà dột nát" names it
    "văn hóa công sở",  # a topic; "thi đua thực hiện văn hóa công sở" names the movement
    "5+1",  # a number pattern (scores, formats)
    "Dự án 8",  # any project numbered 8; the alias with the programme names it
    "Đề án 8",  # the same
    "Nhóm cha mẹ",  # its own campaign (nhom_cha_me), not a name of Đề án 938
    "heo đất",  # a thing; "heo đất tiết kiệm" names the model
    "kẻng an ninh",  # the object; "Tiếng kẻng an ninh" names the model
    "Tháng cao điểm",  # any peak month (road safety, tax, …)
    "xung kích bảo vệ Tổ quốc",  # also a slogan of the militia and army
    "chương trình đồng hành",  # any accompanying programme
    "đồng hành cùng thanh niên",  # a common phrase
    "góp vốn xoay vòng",  # a practice of many groups
    "vốn ủy thác",  # the bank's entrusted lending in general
    "cho vay ủy thác",  # the same
    "dùng hàng Việt",  # any goods campaign of shops
    "450 ngày đêm",  # a duration
    "12 tiêu chí",  # a count
    "19 tiêu chí",  # a count
    "Con đường hoa",  # any flower street (Đà Lạt, Tết flower streets)
    "Hoa phượng đỏ",  # Hải Phòng's nickname and its flower festival
    "Xanh - sạch - đẹp",  # describes any clean beach or town; the full name names it
    "bảo vệ nền tảng tư tưởng của Đảng",  # Resolution 35-NQ/TW, not the veterans' model
}
# Names made of ordinary words that are also ordinary phrases ("trở thành địa chỉ tin cậy",
# "mẹ đỡ đầu" = godmother): matched only when written as a name (quoted, capitalised
# inside a sentence, or after a campaign word such as "mô hình").
NAME_ONLY = {
    "Địa chỉ tin cậy",
    "Mẹ đỡ đầu",
    "Ngôi nhà bình yên",
    "Nhóm cha mẹ",
    "Đoạn đường hoa",
    "Gia đình học tập",
    "Dòng họ học tập",
    "Dòng họ hiếu học",
    "Kỳ nghỉ hồng",
    "Hành quân xanh",
    "Tình nguyện mùa đông",
    "Xuân tình nguyện",
    "Sức mạnh Nhân đạo",
    "Tự hào hàng Việt Nam",
    "Vì người nghèo",  # a common phrase; quoted or capitalised it is the campaign (the Fund)
    "Sáng tạo trẻ",
    "Cộng đồng học tập",
    "Đơn vị học tập",
    "Công dân học tập",
    "Hành trình của hy vọng",
    "Hai giỏi",
}
# Writing variants of a name that the reference lists only in part: the same name with
# "Chủ tịch" before "Hồ Chí Minh", without "và", with "tấm gương", or "học" for "học tập"
# (as the reference's own "học tập và làm theo Bác"). Names, not descriptions.
EXTRA_ALIASES = {
    "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh": [
        "học tập và làm theo tư tưởng, đạo đức, phong cách Chủ tịch Hồ Chí Minh",
        "học tập làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "học tập và làm theo tư tưởng, tấm gương đạo đức Hồ Chí Minh",
        "học tập và làm theo tư tưởng, tấm gương đạo đức Chủ tịch Hồ Chí Minh",
        "học tập và làm theo tấm gương đạo đức Chủ tịch Hồ Chí Minh",
        "học tập làm theo tấm gương đạo đức Hồ Chí Minh",
        "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "làm theo tư tưởng, tấm gương đạo đức Hồ Chí Minh",
        "học tập và làm theo gương Bác",
        "học và làm theo Bác",
        "học và làm theo gương Bác",
    ],
}
_DATE_OR_NUMBER = re.compile(r"^[\d/.\- ]+$")
_NUMBERED_DOC = re.compile(r"\d+\s*[/-]\s*[A-ZĐ]")


def _contains(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def _clean_alias(alias: str) -> str | None:
    if "{" in alias:
        head = alias.split("{", 1)[0].strip().rstrip("…").strip()
        head = re.sub(r"\s+năm$", "", head)
        return head if len(forms(head)) >= 2 else None
    if " gắn với " in alias:
        return alias.split(" gắn với ", 1)[0].strip()
    return alias


def build(ref: dict) -> dict:
    generic = {forms(g) for g in GENERIC}
    out = []
    for c in ref["campaigns"]:
        names: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for i, alias in enumerate(
            [
                c["name_vi"],
                *(c.get("aliases") or []),
                *(c.get("aliases_unverified") or []),
                *EXTRA_ALIASES.get(c["id"], []),
            ]
        ):
            cleaned = _clean_alias(alias)
            # "Đoạn đường hoa / Đoạn đường phụ nữ tự quản": two names in one
            for part in (cleaned or "").split(" / "):
                part = part.strip()
                f = forms(part)
                if f and f not in seen and (i == 0 or f not in generic):
                    seen.add(f)
                    names.append(part)
        name_forms = [forms(n) for n in names]
        key_phrases, cues = [], []
        for kp in c.get("key_phrases") or []:
            f = forms(kp)
            if f in seen:
                continue  # already an alias
            named = any(_contains(nf, f) for nf in name_forms) or bool(_NUMBERED_DOC.search(kp))
            if named and f not in generic and not _DATE_OR_NUMBER.match(kp) and "{" not in kp:
                key_phrases.append(kp)
                seen.add(f)
            else:
                cues.append(kp)
        name_only_forms = {forms(n) for n in NAME_ONLY}
        name_only = [n for n in names + key_phrases if forms(n) in name_only_forms]
        out.append(
            {
                "id": c["id"],
                "name": c["name_vi"],
                "name_en": c.get("name_en"),
                "kind": c["kind"],
                "organisations": c.get("organisations") or [],
                "period": c.get("period"),
                "start_year": c.get("start_year"),
                "end_year": c.get("end_year"),
                "parent": c.get("parent"),
                "confidence": c.get("confidence"),
                "aliases": names,
                "key_phrases": key_phrases,
                "cues": cues,
                "name_only": name_only,
            }
        )
    return {
        "meta": {
            "built_from": "shared/reference/campaigns.yaml (compiled "
            + str(ref.get("meta", {}).get("compiled", "?"))
            + ")",
            "built_by": "scripts/build_taxonomy.py",
            "fields": {
                "aliases": "names matched as explicit mentions (name first)",
                "key_phrases": "pieces of a name, matched as explicit mentions",
                "cues": "descriptive or generic phrases: documentation only, never matched",
                "name_only": "aliases matched only when written as a name",
            },
        },
        "campaigns": out,
    }


def main(argv: list[str]) -> None:
    ref_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_REF
    out_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    ref = yaml.safe_load(ref_path.read_text(encoding="utf-8"))
    data = build(ref)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    out_path.write_text("# Generated by scripts/build_taxonomy.py; edit the script.\n" + text)
    n = len(data["campaigns"])
    print(f"wrote {out_path} ({n} campaigns)")


if __name__ == "__main__":
    main(sys.argv)
