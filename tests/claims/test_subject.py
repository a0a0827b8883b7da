"""The claim subject: what is counted, in the sentence's own words (claims.md), one test per
principle of pipeline/claims/subject.py, on sentences written in the style of the news."""

from __future__ import annotations

import pytest

from pipeline.claims.finder import claims_in_text


def _subjects(text: str) -> dict[str, str | None]:
    return {" ".join(c.text.split()): c.subject for c in claims_in_text(text)}


def _subject(text: str) -> str | None:
    claims = claims_in_text(text)
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0].subject


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # a relative clause after the noun already says what is counted: no verb added
        (
            "Năm qua, Hội đã giới thiệu 45 đoàn viên ưu tú được kết nạp Đảng.",
            "đoàn viên ưu tú được kết nạp Đảng",
        ),
        (
            "Hiện toàn huyện có 212 tổ trưởng tổ dân phố là đảng viên.",
            "tổ trưởng tổ dân phố là đảng viên",
        ),
        # the action done to the counted thing goes before its "cho" complement ...
        (
            "Hội LHPN huyện đã giới thiệu 30 hội viên ưu tú cho chi bộ xem xét kết nạp.",
            "hội viên ưu tú giới thiệu cho chi bộ xem xét kết nạp",
        ),
        # ... or after it as a passive when there is none
        ("Năm 2023, Hội đã hỗ trợ 150 hộ nghèo.", "hộ nghèo được hỗ trợ"),
        ("Cả tỉnh đã kết nạp thêm 320 hội viên.", "hội viên được kết nạp thêm"),
        ("Kết quả nghiên cứu đã sản xuất được 2 triệu con cá giống.", "cá giống được sản xuất"),
        # a giving verb is implied by the recipient "cho"
        (
            "Công đoàn ngành đã trao 200 suất quà cho công nhân có hoàn cảnh khó khăn.",
            "suất quà trao cho công nhân có hoàn cảnh khó khăn",
        ),
        # light verbs and generic verbs say nothing about what is counted
        (
            "Từ đầu năm, Hội đã tổ chức được 84 cuộc nói chuyện chuyên đề.",
            "cuộc nói chuyện chuyên đề",
        ),
        # the people an action is done for: "ACTION cho N người"
        (
            "Bệnh viện tỉnh đã khám bệnh miễn phí cho 1.200 công nhân tại nhà trọ.",
            "công nhân được khám bệnh miễn phí",
        ),
        (
            "Hội đã tập huấn kỹ năng làm kinh tế cho 2.300 lượt hội viên vào đầu tháng 5.",
            "lượt hội viên được tập huấn kỹ năng làm kinh tế",
        ),
        # time and place phrases belong to period and location, not to the subject
        (
            "Trong năm, Thành đoàn đã tuyên dương 50 thanh niên tiêu biểu năm 2023.",
            "thanh niên tiêu biểu được tuyên dương",
        ),
        (
            "Phường hiện có 640 hộ gia đình văn hóa trên địa bàn các tổ dân phố.",
            "hộ gia đình văn hóa",
        ),
        (
            "Sáng 12/5, gần 600 thí sinh trên cả nước đã bước vào vòng chung kết cuộc thi.",
            "thí sinh đã bước vào vòng chung kết cuộc thi",
        ),
        # an apposition ("đó là") or a list of examples ("như") is not part of it
        (
            "Hội nghị có 3 nhiệm vụ trọng tâm đó là tổng kết công tác năm và bầu bổ sung.",
            "nhiệm vụ trọng tâm",
        ),
        # people taking part in an event: the event they take part in
        (
            "Huyện Đoàn tổ chức ngày hội hiến máu với 800 đoàn viên tham gia.",
            "đoàn viên tham gia ngày hội hiến máu",
        ),
        (
            "Hội thi Tiếng hát công nhân do LĐLĐ tỉnh tổ chức với sự tham gia của 260 thí sinh.",
            "thí sinh tham gia Hội thi Tiếng hát công nhân",
        ),
        # a distributive "mỗi X" is part of what is counted
        ("Mỗi xã có 3 - 5 tổ hòa giải.", "tổ hòa giải mỗi xã"),
        # a classifier or unit only measures the noun after it
        ("Trại giống đã thả 20 nghìn con cá rô đồng giống.", "cá rô đồng giống được thả"),
    ],
)
def test_count_subject(sentence: str, subject: str) -> None:
    assert _subject(sentence) == subject


def test_a_phrase_that_runs_into_the_next_figure_leaves_its_words_to_it() -> None:
    got = _subjects("Hội đã trao 500 chăn ấm và 300 áo khoác cho trẻ em vùng cao.")
    # (the verb of the list acts on every member: claims-1.3)
    assert got["300 áo khoác"] == "áo khoác trao cho trẻ em vùng cao"
    assert got["500 chăn"] is not None and "áo khoác" not in got["500 chăn"]
    got = _subjects("Đại hội đã bầu 35 ủy viên Ban chấp hành trong số 38 người được giới thiệu.")
    assert got["35 ủy viên"] == "ủy viên Ban chấp hành được bầu"


def test_a_bare_counting_word_takes_the_thing_the_sentence_names() -> None:
    # "số X là N người": X is what is counted (bare "số" is dropped) ...
    assert _subject("Số hội viên nữ của chi hội là 86 người.") == "hội viên nữ của chi hội"
    # ... and a total stays a total
    got = _subjects("Hội đã kết nạp thêm 320 hội viên, nâng tổng số hội viên lên 2.450 hội viên.")
    assert got["2.450 hội viên"] == "tổng số hội viên"
    # a target named before its figure
    got = _subjects("Năm nay, Hội đề ra chỉ tiêu giới thiệu quần chúng ưu tú cho Đảng là 20 người.")
    assert got["20 người"] == "giới thiệu quần chúng ưu tú cho Đảng"


def test_a_bracketed_count_counts_what_the_bracket_annotates() -> None:
    got = _subjects(
        "Cán bộ Hội cơ sở (48 người - tỷ lệ 38,4%) chiếm phần đông; "
        "đại biểu là người dân tộc thiểu số (37 người - tỷ lệ 29,6%)."
    )
    assert got["48 người"] == "Cán bộ Hội cơ sở"
    assert got["38,4%"] == "tỷ lệ Cán bộ Hội cơ sở"
    assert got["37 người"] == "đại biểu là người dân tộc thiểu số"


def test_percent_subjects() -> None:
    # what the percentage is of, through a quoted title, and not into the next clause
    assert (
        _subject("Đến nay, 100% chi hội đạt danh hiệu “Chi hội vững mạnh”, không có chi hội yếu.")
        == "chi hội đạt danh hiệu “Chi hội vững mạnh”"
    )
    # a completion rate of the count before it
    got = _subjects("Toàn tỉnh kết nạp 5.200 đoàn viên (đạt 104% so với kế hoạch).")
    assert got["104%"] == "đoàn viên được kết nạp so với kế hoạch"
    # the place and the period between the noun and the figure are not part of it
    assert _subject("Tỷ lệ hộ nghèo của huyện hằng năm giảm còn 3,2%.") == "Tỷ lệ hộ nghèo"
    assert _subject("Tỷ lệ hộ nghèo hằng năm giảm còn 3,2%.") == "Tỷ lệ hộ nghèo"


def test_money_subject_keeps_the_total_and_drops_the_period() -> None:
    assert _subject("Tổng số tiền ủng hộ trong 3 năm là 2 tỷ đồng.") == "Tổng số tiền ủng hộ"


def test_an_increase_measures_what_increased_not_the_comparison() -> None:
    assert _subject("Doanh thu của hợp tác xã tăng 15% so với năm trước.") == (
        "Doanh thu của hợp tác xã"
    )
    got = _subjects("Kim ngạch xuất khẩu của tỉnh đạt 1,2 tỷ USD, tăng 9,5% so với năm 2022.")
    assert got == {"1,2 tỷ USD": "Kim ngạch xuất khẩu", "9,5%": "Kim ngạch xuất khẩu"}


def test_the_verb_before_a_figure_stops_at_the_figure_before_it() -> None:
    got = _subjects("Hội đã vận động 450 triệu đồng để xây 9 mái ấm cho hội viên nghèo.")
    assert got["9 mái ấm"] == "mái ấm xây cho hội viên nghèo"


def test_a_period_after_a_percentage_is_not_what_it_measures() -> None:
    assert _subject("Thu nhập của đoàn viên tăng bình quân 8% mỗi năm.") == "Thu nhập của đoàn viên"


def test_members_of_a_list_share_its_verb_and_its_recipient() -> None:
    # every object of one verb is what it acts on, and the recipient named once after the
    # last member ("cho ...") is the recipient of each
    got = _subjects(
        "Năm nay, huyện đoàn đã tặng 120 suất quà, 40 chiếc xe đạp và 15 bộ sách cho học sinh nghèo."
    )
    assert got == {
        "120 suất quà": "suất quà tặng cho học sinh nghèo",
        "40 chiếc": "xe đạp tặng cho học sinh nghèo",
        "15 bộ": "bộ sách tặng cho học sinh nghèo",
    }
    got = _subjects("Đại hội đã bầu 1 chủ tịch, 3 phó chủ tịch và 9 ủy viên thường vụ.")
    assert got["3 phó chủ tịch"] == "phó chủ tịch được bầu"
    assert got["9 ủy viên"] == "ủy viên thường vụ được bầu"
    # a member with a clause of its own ends the list: its verb is not shared past it
    got = _subjects("Hội đã khen 12 lần được trao cờ thi đua, 30 hội viên tiêu biểu.")
    assert got["30 hội viên"] == "hội viên tiêu biểu"
    # a member that has its own recipient keeps it
    got = _subjects("Đã trao 50 suất quà cho học sinh, 20 suất quà cho người cao tuổi.")
    assert got["50 suất quà"] == "suất quà trao cho học sinh"


def test_cung_before_a_number_is_a_preposition_not_a_verb() -> None:
    got = _subjects("Bí thư tỉnh đoàn cùng 80 đoàn viên đã dọn vệ sinh bãi biển.")
    assert got["80 đoàn viên"] == "đoàn viên đã dọn vệ sinh bãi biển"


def test_an_adverb_after_a_light_verb_is_not_part_of_the_action() -> None:
    got = _subjects("Ban tổ chức cũng trao 6 giải nhì cho các đội.")
    assert got["6 giải"] == "giải nhì trao cho các đội"


def test_a_new_scope_label_replaces_the_one_of_the_repeated_subject() -> None:
    got = _subjects("Cấp tỉnh tổ chức 90 cuộc tọa đàm; cấp huyện: 400 cuộc; cấp xã: 1.500 cuộc.")
    assert got["400 cuộc"] == "cuộc tọa đàm (cấp huyện)"
    assert got["1.500 cuộc"] == "cuộc tọa đàm (cấp xã)"


def test_an_average_after_its_noun_is_part_of_what_is_measured() -> None:
    # "bình quân"/"trung bình" right after a noun qualifies it ...
    assert _subject("Độ tuổi trung bình của hội viên là 42.") == "Độ tuổi trung bình của hội viên"
    assert (
        _subject("Thu nhập bình quân đầu người của xã đạt 45 triệu đồng.")
        == "Thu nhập bình quân đầu người"
    )
    # ... after a verb of change it is an adverb of the figure
    assert _subject("Lương của công nhân tăng bình quân 6%.") == "Lương của công nhân"


def test_a_time_phrase_with_den_ends_the_subject() -> None:
    assert _subject("Dư nợ đến cuối tháng 6 đạt 120 tỷ đồng.") == "Dư nợ"


def test_viec_nominalises_a_verb_and_is_not_the_action() -> None:
    # "việc" before the verb of the number is left out of the action ...
    assert _subject("Hội tập trung vào việc hỗ trợ 300 hộ nghèo.") == "hộ nghèo được hỗ trợ"
    # ... and an object nominalised by "việc" keeps the verb before it
    assert (
        _subject(
            "Hội đã phổ biến việc thực hiện nếp sống văn minh nơi công cộng cho 2.500 hội viên."
        )
        == "hội viên được phổ biến việc thực hiện nếp sống văn minh nơi công cộng"
    )


def test_a_glued_hyphen_joins_a_name_and_does_not_open_a_clause() -> None:
    got = _subjects("Bác sĩ của các KCX-KCN Tỉnh khám và chữa bệnh miễn phí cho 800 công nhân.")
    assert got["800 công nhân"] == "công nhân được khám và chữa bệnh miễn phí"


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # "chỉ" (only) is a cue alone, but "chỉ đạo" (to direct) is one word: the action
        ("LĐLĐ huyện hiện quản lý và chỉ đạo 12 CĐCS.", "CĐCS được chỉ đạo"),
        ("Năm nay, Sở Y tế chỉ đạo 15 bệnh viện.", "bệnh viện được chỉ đạo"),
        ("Toàn huyện đã bình chọn 10 tác phẩm tiêu biểu.", "tác phẩm tiêu biểu được bình chọn"),
        # the capitalised "Trung" ends the action, with the rest of its word "Trung ương"
        (
            "Trước đây, Ban Tổ chức Trung ương phải xem xét 8.000 hồ sơ cán bộ.",
            "hồ sơ cán bộ được xem xét",
        ),
        (
            "Sáng nay, Trung ương Hội tặng quà cho 36 hộ nghèo.",
            "hộ nghèo được Hội tặng quà",
        ),
        # "kết quả" (result) is a noun, a two-syllable cue that is not the action
        ("Ủy ban đã tổng hợp từ kết quả kiểm tra 7 huyện.", "huyện được kiểm tra"),
        ("Đợt hiến máu kết thúc, kết quả thu được 210 đơn vị máu.", "đơn vị máu được thu"),
        # "có thể" (can) is a modal before the action
        ("Hội có thể thành lập 3 tổ công tác.", "tổ công tác được thành lập"),
        # "tỉnh" is the tail of an agent: "thành lập" is the word, not "tỉnh thành"
        ("Toàn tỉnh thành lập được 45 CĐCS.", "CĐCS được thành lập"),
        # "cho vay" (to lend) is one word: "cho" does not end the action there
        ("Ngân hàng đã giải ngân cho vay 120 hộ nghèo.", "hộ nghèo được giải ngân cho vay"),
    ],
)
def test_a_cue_is_not_read_inside_a_word(sentence: str, subject: str) -> None:
    assert _subject(sentence) == subject


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # "chỉ" alone is "only": still a cue that ends the action
        ("Cả xã chỉ có 5 người.", "người"),
        ("Lớp học năm nay chỉ có 12 học viên.", "học viên"),
        ("Đoàn xã chỉ tặng 20 suất quà.", "suất quà được tặng"),
        # "đều" alone is an aspect adverb left out of the subject
        ("Năm qua, 60 hộ đều tham gia hiến máu.", "hộ tham gia hiến máu"),
    ],
)
def test_a_one_syllable_cue_still_works(sentence: str, subject: str) -> None:
    assert _subject(sentence) == subject


def test_a_word_is_not_cut_at_the_edge_of_a_subject() -> None:
    # "trực thuộc" (directly under) is one word: "thuộc" is not a trailing preposition
    assert _subject("Hội hiện có 30 chi hội trực thuộc.") == "chi hội trực thuộc"
    # "đều đặn" (regularly) is one word: "đều" is not the aspect adverb
    assert _subject("Năm qua, hơn 60 hộ đều đặn tham gia hiến máu.") == (
        "hộ đều đặn tham gia hiến máu"
    )
