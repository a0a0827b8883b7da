"""Databases for search and web tests, written through ``Store.write`` like the batch does.

* the seed article with the claims of ../shared/docs/claims.md's worked example, located in
  its text (the claim extractor's own output is tested through ``pipeline batch`` where it
  is installed);
* small synthetic articles: a province merged in 2025 (Thái Bình → Hưng Yên), an article
  without a date (year from the period), campaigns, a hostile title and sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.io.article import make_article
from pipeline.io.readers import read_articles
from pipeline.nlp.sentences import split_sentences
from pipeline.store.sqlite import Store
from pipeline.types import Article, ArticleResult, CampaignTag, Claim

SEED = Path(__file__).resolve().parents[2] / "corpora" / "seed" / "langson-ket-nap-dang-2022.txt"
ORG = "Hội LHPN tỉnh Lạng Sơn"
ORG_XA = "Hội LHPN xã Bằng Mạc"
# (text, occurrence, value, value_max, denominator, measure, status, qualifier, subject,
#  period, organisation, speaker) — the worked example of claims.md
SEED_CLAIMS: list[tuple[Any, ...]] = [
    ("hơn 3.400 quần chúng", 0, 3400, None, None, "count", "reported", "more_than",
     "quần chúng ưu tú được kết nạp Đảng", None, ORG, None),
    ("1.000 hội viên", 0, 1000, None, None, "count", "target", "exact",
     "hội viên ưu tú giới thiệu cho các cấp uỷ", "hằng năm", ORG, None),
    ("trên 25 nghìn cuộc tuyên truyền", 0, 25000, None, None, "count", "reported",
     "more_than", "cuộc tuyên truyền", "từ năm 2017 đến nay", ORG, None),
    ("trên 1,1 triệu lượt", 0, 1100000, None, None, "count", "reported", "more_than",
     "lượt cán bộ, hội viên, phụ nữ tham gia", "từ năm 2017 đến nay", ORG, None),
    ("748/1.711 chi hội trưởng", 0, 748, None, 1711, "ratio", "reported", "exact",
     "chi hội trưởng phụ nữ là đảng viên", "hiện nay", ORG, None),
    ("hơn 43%", 0, 43, None, None, "percent", "reported", "more_than",
     "chi hội trưởng phụ nữ là đảng viên", "hiện nay", ORG, None),
    ("hơn 500 hội viên", 0, 500, None, None, "count", "reported", "more_than", "hội viên",
     "hiện nay", ORG_XA, "bà Hoàng Thị Phương"),
    ("8 chi hội", 0, 8, None, None, "count", "reported", "exact", "chi hội", "hiện nay",
     ORG_XA, "bà Hoàng Thị Phương"),
    ("gần 70 hội viên nòng cốt", 0, 70, None, None, "count", "reported", "nearly",
     "hội viên nòng cốt", "hiện nay", ORG_XA, "bà Hoàng Thị Phương"),
    ("8 – 10 quần chúng ưu tú", 0, 8, 10, None, "count", "target", "exact",
     "quần chúng ưu tú giới thiệu cho Đảng xem xét kết nạp", "nhiệm kỳ 2016 – 2021", ORG_XA,
     "bà Hoàng Thị Phương"),
    ("12 quần chúng ưu tú", 0, 12, None, None, "count", "reported", "exact",
     "quần chúng ưu tú được giới thiệu", "nhiệm kỳ 2016 – 2021", ORG_XA, "bà Hoàng Thị Phương"),
    ("8 hội viên", 0, 8, None, None, "count", "reported", "exact", "hội viên được kết nạp Đảng",
     "nhiệm kỳ 2016 – 2021", ORG_XA, "bà Hoàng Thị Phương"),
    ("10 – 12 hội viên", 0, 10, 12, None, "count", "target", "exact",
     "quần chúng ưu tú giới thiệu cho Đảng", "nhiệm kỳ 2021 – 2026", ORG_XA,
     "bà Hoàng Thị Phương"),
    ("5.015 quần chúng ưu tú", 0, 5015, None, None, "count", "reported", "exact",
     "quần chúng ưu tú giới thiệu cho Đảng", "nhiệm kỳ qua", ORG, None),
    ("vượt 3%", 0, 3, None, None, "percent", "reported", "exceeding",
     "chỉ tiêu Nghị quyết Đại hội", "nhiệm kỳ qua", ORG, None),
    ("hơn 3.400 quần chúng", 1, 3400, None, None, "count", "reported", "more_than",
     "quần chúng được kết nạp", "nhiệm kỳ qua", ORG, None),
]  # fmt: skip


def seed_article(url: str | None = "https://phunuvietnam.vn/lang-son-ket-nap-dang") -> Article:
    item = next(read_articles([SEED]))
    assert isinstance(item, Article), item
    if url is None:
        return item
    return make_article(
        title=item.title,
        body=item.raw_text[item.body_offset :],
        record_id=item.id,
        url=url,
        published="2022-01-06",
        outlet="phunuvietnam.vn",
        source=str(SEED),
        source_format="txt",
        warc_file="seed.warc.gz",
        warc_record_id="<urn:uuid:0000seed>",
    )


def _find(text: str, needle: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return pos


def result_with_claims(
    article: Article,
    specs: list[tuple[Any, ...]],
    *,
    province: tuple[str | None, str | None] = (None, None),
    location: str | None = None,
    campaigns: tuple[str, ...] = (),
) -> ArticleResult:
    """An ArticleResult whose claims are the given spans, located in the article's text."""
    sentences = split_sentences(article.id, article.text)
    claims = []
    for text, occ, value, vmax, den, measure, status, qual, subject, period, org, spk in specs:
        start = _find(article.text, text, occ)  # normalised text (NBSP -> space) ...
        end = start + len(text)
        text = article.raw_text[start:end]  # ... shown as written
        sent = next(s for s in sentences if s.start <= start and end <= s.end)
        claims.append(
            Claim(
                article_id=article.id,
                sentence=article.raw_text[sent.start : sent.end],
                text=text,
                start=start,
                end=end,
                value=float(value),
                value_max=None if vmax is None else float(vmax),
                denominator=None if den is None else float(den),
                measure=measure,
                status=status,
                qualifier=qual,
                unit=None,
                subject=subject,
                period=period,
                organisation=org,
                location=location,
                province_id=province[0],
                province_new_id=province[1],
                speaker=spk,
                sentence_start=sent.start,
                sentence_end=sent.end,
            )
        )
    tags = tuple(CampaignTag(article.id, c, "explicit", 1.0, c) for c in campaigns)
    return ArticleResult(article, tuple(sentences), tuple(claims), tags, ("claims", "campaigns"))


def synthetic_results() -> list[ArticleResult]:
    """Three small articles of our own (not from any corpus)."""
    thai_binh = make_article(
        title="Thái Bình: Hội Nông dân giúp 1.200 hộ thoát nghèo",
        body=(
            "Năm 2023, Hội Nông dân tỉnh Thái Bình đã giúp 1.200 hộ thoát nghèo.\n"
            "Hội phấn đấu kết nạp thêm 3.000 hội viên mới trong năm 2024."
        ),
        record_id="synth-thaibinh",
        url="https://example.org/thai-binh",
        published="2023-05-02",
        source="synthetic",
    )
    undated = make_article(
        title="Đoàn Thanh niên tổ chức hiến máu",
        body="Trong năm 2019, Đoàn Thanh niên huyện tổ chức 15 đợt hiến máu với 2.500 đơn vị máu.",
        record_id="synth-undated",
        url=None,
        published=None,
        source="synthetic",
    )
    hostile = make_article(
        title='<script>alert("x")</script> Hội Phụ nữ & "AND" OR NOT',
        body="Hội Phụ nữ <b>quận</b> '; DROP TABLE claims; -- quyên góp 40 triệu đồng.",
        record_id="synth-hostile",
        url="javascript:alert(1)",
        published="2024-03-08",
        source="synthetic",
    )
    nd = "Hội Nông dân tỉnh Thái Bình"
    return [
        result_with_claims(
            thai_binh,
            [
                ("1.200 hộ", 0, 1200, None, None, "count", "reported", "exact", "hộ thoát nghèo",
                 None, nd, None),
                ("1.200 hộ", 1, 1200, None, None, "count", "reported", "exact", "hộ thoát nghèo",
                 "năm 2023", nd, None),
                ("3.000 hội viên", 0, 3000, None, None, "count", "target", "exact",
                 "hội viên mới", "năm 2024", nd, None),
            ],
            province=("thai_binh", "hung_yen"),
            location="Thái Bình",
            campaigns=("giam_ngheo",),
        ),
        result_with_claims(
            undated,
            [
                ("15 đợt hiến máu", 0, 15, None, None, "count", "reported", "exact",
                 "đợt hiến máu", "năm 2019", "Đoàn Thanh niên huyện", None),
                ("2.500 đơn vị máu", 0, 2500, None, None, "count", "reported", "exact",
                 "đơn vị máu", "năm 2019", "Đoàn Thanh niên huyện", None),
            ],
            campaigns=("hien_mau",),
        ),
        result_with_claims(
            hostile,
            [
                ("40 triệu đồng", 0, 40000000, None, None, "money", "reported", "exact",
                 "quyên góp", None, 'Hội Phụ nữ <b>quận</b>', None),
            ],
        ),
    ]  # fmt: skip


def build_db(path: Path, *, synthetic: bool = True) -> Path:
    """The seed (with the worked example's claims) and, by default, the synthetic articles."""
    results = [
        result_with_claims(
            seed_article(),
            SEED_CLAIMS,
            province=("lang_son", "lang_son"),
            location="Lạng Sơn",
            campaigns=("phat_trien_dang_vien",),
        )
    ]
    if synthetic:
        results += synthetic_results()
    store = Store(path)
    versions = {"vn_claims": "worked-example", "vn_campaigns": "fixture"}
    run_id = store.start_run("fixture", {}, versions)
    store.write(results, [], versions, run_id)
    store.finish_run(run_id, "finished", {"articles_processed": len(results)})
    store.close()
    return path
