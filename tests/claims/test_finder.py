"""Claim vs non-claim, measure, status, qualifier, unit and subject on written sentences."""

from __future__ import annotations

import pytest

from pipeline.claims.finder import claims_in_text


def _one(text: str):
    claims = claims_in_text(text)
    assert len(claims) == 1, [(c.text, c.value) for c in claims]
    return claims[0]


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 06/01/2022, Hội tổ chức hội nghị.",
        "Từ năm 2017 đến nay, phong trào phát triển.",
        "Cuộc họp bắt đầu lúc 14h30 tại hội trường.",
        "Trong nhiệm kỳ 2016 – 2021, Hội phát triển mạnh.",
        "Trong 5 năm qua, Hội luôn quan tâm phụ nữ.",
        "Sau 3 tháng, mô hình được nhân rộng.",
        "Hội triển khai Đề án 938 của Chính phủ.",
        "Thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị.",
        "Theo Quyết định 1258/QĐ-TTg của Thủ tướng.",
        "Cuộc vận động xây dựng gia đình 5 không 3 sạch.",
        "Đại hội lần thứ XIII của Đảng.",
        "Đội đứng thứ 2 toàn đoàn.",
        "Liên hệ đường dây nóng 0912345678 để được hỗ trợ.",
        "Hàng nghìn hội viên tham gia ngày hội.",
        "Hai bên ký kết chương trình phối hợp.",
        "Cả hai đều là hội viên tích cực.",
        "Một số hội viên còn khó khăn.",
        "Đây là một trong những mô hình hay.",
        "Cháu bé 5 tuổi được tặng quà.",
        "Hội nghị Trung ương 4 khóa XII đã thông qua nghị quyết.",
        "Doanh nghiệp ở quận 10 tham gia chương trình.",
        # a count followed right there by the names it counts
        "Đoàn thanh niên ra quân dọn rác ở hai xã Tân Phú và Hòa Bình.",
        "Quan hệ giữa hai đất nước Việt - Lào ngày càng gắn bó.",
        "Chương trình diễn ra tại ba tỉnh Cao Bằng, Lạng Sơn và Hà Giang.",
        "Hai vợ chồng anh Tuấn mở quán ăn sáng.",
        # a number that is part of a name, a place or a kind
        "Sinh viên Trường ĐH Bách khoa cơ sở 2 TP. HCM tham gia hiến máu.",
        "Học sinh Trường THPT số 1 đạt giải nhất.",
        "Gia đình chị sống ở tổ 5, khu phố 3, phường 12.",
        "Bà con ở ấp 2 xã Tân An được hỗ trợ nước sạch.",
        "Bộ Tư lệnh Quân khu 7 tổ chức hội thao.",
        "Em là học sinh lớp 10A của trường.",
        "Công nhân đi làm trở lại từ mùng 6 Tết.",
        "Vụ tai nạn xảy ra tại ngã ba Phú Lộc.",
        "Chiếc ô tô 7 chỗ đâm vào dải phân cách.",
        "Họ nghỉ tại một khách sạn 5 sao ở trung tâm.",
        "Hãng vừa ra mắt điện thoại Galaxy 20 Ultra tại Việt Nam.",
        "Bản cập nhật iOS 15 mang đến nhiều tính năng mới.",
        "Trải qua 9 thập kỷ xây dựng và trưởng thành, Hội ngày càng lớn mạnh.",
        "Cửa hàng ở 19 Yên Phụ, quận Tây Hồ.",
        # a small count after "giữa": the parties of a relation, already named
        "Lễ ký kết mở ra giai đoạn hợp tác mới giữa hai tổ chức.",
        "Trận đấu giữa 2 đội diễn ra căng thẳng.",
        # a model or code written with a loose hyphen before its number
        "Hai tiêm kích F -16 Mỹ bay qua khu vực.",
        "Chiếc trực thăng AH -64 Apache hạ cánh an toàn.",
        "Dịch Covid -19 diễn biến phức tạp.",
        # sizes, resolutions and make-ups written as a product: no single number is a claim
        "Máy in có độ phân giải 1200 x 1200 dpi.",
        "Màn hình đạt độ phân giải 1.920 x 1.080 pixel.",
        "Tấm biển có kích thước 20 x 30 cm.",
        "Máy có kích thước 320 x 220 x 15,5 mm.",
        "Bộ nhớ gồm 2 x 8 GB.",
        "Gói cước cho 1,5GB x 5 ngày.",
    ],
)
def test_not_claims(text: str) -> None:
    assert claims_in_text(text) == []


@pytest.mark.parametrize(
    ("text", "value", "measure", "qualifier", "unit"),
    [
        (
            "Giới thiệu hơn 3.400 quần chúng ưu tú được kết nạp Đảng",
            3400,
            "count",
            "more_than",
            "quần chúng",
        ),
        ("Đã tổ chức được trên 25 nghìn cuộc tuyên truyền.", 25000, "count", "more_than", "cuộc"),
        ("Xã có gần 70 hội viên nòng cốt.", 70, "count", "nearly", "hội viên"),
        ("Tỷ lệ đạt khoảng 20 triệu đồng mỗi hộ.", 20_000_000, "money", "about", "đồng"),
        ("Cấp ít nhất 1,5 triệu thẻ.", 1_500_000, "count", "at_least", "thẻ"),
        ("Mỗi đám cưới không quá 40 mâm.", 40, "count", "less_than", "mâm"),
        ("Kết quả vượt 3% chỉ tiêu Nghị quyết.", 3, "percent", "exceeding", "%"),
        ("Trồng mới 12,5 ha rừng.", 12.5, "quantity", "exact", "ha"),
        ("Hỗ trợ 700kg gạo cho hộ nghèo.", 700, "quantity", "exact", "kg"),
        ("Viện đã thực hiện tám đề tài cấp Nhà nước.", 8, "count", "exact", "đề tài"),
        ("Doanh nghiệp phải chờ đợi thêm 6 tháng khi nộp hồ sơ.", 6, "quantity", "exact", "tháng"),
        ("Trẻ nhất mới 16 tuổi.", 16, "quantity", "exact", "tuổi"),
        # names listed after the count, but fewer than it counts: still a count
        ("Dự án cấp nước cho 5 xã, trong đó có Tân Lập, Tân Hòa.", 5, "count", "exact", "xã"),
        ("Chi hội đã tư vấn pháp luật 320 vụ cho hội viên.", 320, "count", "exact", "vụ"),
        ("Mức lương cơ sở tăng thêm 7% từ tháng sau.", 7, "percent", "exact", "%"),
        ("Đoàn viên giành 4 HCV tại hội thao.", 4, "count", "exact", "HCV"),
        ("Nhiều nơi có lượng mưa hơn 100 mm trong đêm.", 100, "quantity", "more_than", "mm"),
        ("Nắng nóng gay gắt, nhiệt độ cao nhất 39 độ C.", 39, "quantity", "exact", "độ"),
        ("Công ty mua thêm 20 xe 16 chỗ để đưa đón công nhân.", 20, "count", "exact", "xe"),
        # foreign currencies: the currency's own word, or a shared word and its country
        ("Câu lạc bộ chi 50 triệu bảng để mua tiền đạo.", 50_000_000, "money", "exact", "GBP"),
        ("Anh nhận lương 90.000 bảng mỗi tuần.", 90_000, "money", "exact", "GBP"),
        ("Chiếc nhẫn có giá 650 bảng Anh.", 650, "money", "exact", "GBP"),
        ("Vé máy bay có giá hơn 50.000 rupee.", 50_000, "money", "more_than", "INR"),
        ("Nhà nước hỗ trợ 6.350 rúp mỗi tháng.", 6_350, "money", "exact", "RUB"),
        ("Tập đoàn quyên góp 700 tỷ won cho y tế.", 700e9, "money", "exact", "KRW"),
        ("Học phí khoảng 140 nghìn đô la Hồng Kông.", 140_000, "money", "about", "HKD"),
        ("Quỹ đầu tư 330 triệu đô la Canada.", 330e6, "money", "exact", "CAD"),
        ("Công ty lỗ khoảng 245,7 tỷ yên trong quý.", 245.7e9, "money", "about", "yên"),
        ("Điện thoại có giá 5.999 tệ tại Trung Quốc.", 5_999, "money", "exact", "nhân dân tệ"),
        ("Người vi phạm bị phạt tới 20.000 baht.", 20_000, "money", "exact", "THB"),
        ("Giải đấu được chia thành 6 bảng thi đấu.", 6, "count", "exact", "bảng"),
        ("Số người tham gia tăng từ 10 -15 người.", 10, "count", "exact", "người"),
        ("Hội nghị kết nối giữa 25 doanh nghiệp trong tỉnh.", 25, "count", "exact", "doanh nghiệp"),
    ],
)
def test_claims(text: str, value: float, measure: str, qualifier: str, unit: str) -> None:
    c = _one(text)
    assert (c.value, c.measure, c.qualifier, c.unit) == (value, measure, qualifier, unit)
    assert text[c.start : c.end] == c.text


def test_ratio_range_and_at_least() -> None:
    c = _one("Toàn tỉnh có 748/1.711 chi hội trưởng phụ nữ là đảng viên.")
    assert (c.value, c.denominator, c.measure) == (748, 1711, "ratio")
    c = _one("Chúng tôi đề ra chỉ tiêu giới thiệu 8 – 10 quần chúng ưu tú cho Đảng.")
    assert (c.value, c.value_max, c.status) == (8, 10, "target")
    c = _one("Phấn đấu từ 60% trở lên CNVCLĐ trong DN gia nhập CĐ.")
    assert (c.value, c.measure, c.qualifier, c.status) == (60, "percent", "at_least", "target")


def test_status() -> None:
    assert _one("Hằng năm các cấp Hội phấn đấu giới thiệu 1.000 hội viên ưu tú.").status == "target"
    assert (
        _one("Cuối nhiệm kỳ đã vượt chỉ tiêu, giới thiệu được 12 quần chúng.").status == "reported"
    )
    assert _one("Năm nay sẽ có 38 đội tình nguyện ra quân.").status == "target"
    assert _one("Năm 2016 thu được gần 13.000 đơn vị máu.").status == "reported"


def test_subjects_are_short_noun_phrases() -> None:
    claims = claims_in_text("Xã có hơn 500 hội viên, 8 chi hội, gần 70 hội viên nòng cốt.")
    assert [c.subject for c in claims] == ["hội viên", "chi hội", "hội viên nòng cốt"]
    c = _one("Đã trao 100 phần quà cho CNLĐ vệ sinh, nhân viên y tế làm việc trong đêm giao thừa.")
    assert c.subject is not None and c.subject.startswith(
        "phần quà trao cho CNLĐ vệ sinh, nhân viên y tế"
    )
    c = _one("Công đoàn đã tặng 50 suất học bổng cho con CNLĐ vượt khó học giỏi.")
    assert c.subject is not None and c.subject.startswith("suất học bổng tặng cho con CNLĐ")
