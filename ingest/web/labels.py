"""Vietnamese labels for the pages: field keys, document types, sources, audit actions."""

from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    "id_number": "Số định danh cá nhân",
    "old_id_number": "Số CMND cũ",
    "full_name": "Họ, chữ đệm và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "nationality": "Quốc tịch",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú",
    "place_of_birth_registration": "Nơi đăng ký khai sinh",
    "place_of_birth": "Nơi sinh",
    "date_of_expiry": "Có giá trị đến",
    "date_of_issue": "Ngày cấp",
    "issuing_authority": "Cơ quan cấp",
    "personal_identification": "Đặc điểm nhân dạng",
    "mrz": "Vùng đọc máy (MRZ)",
    "ethnicity": "Dân tộc",
    "mother_name": "Họ tên mẹ",
    "mother_birth_year": "Năm sinh của mẹ",
    "father_name": "Họ tên cha",
    "father_birth_year": "Năm sinh của cha",
    "registration_number": "Số đăng ký",
    "registration_date": "Ngày đăng ký",
    "registration_authority": "Cơ quan đăng ký",
    "husband_name": "Họ tên chồng",
    "husband_date_of_birth": "Ngày sinh của chồng",
    "husband_id_number": "Số định danh của chồng",
    "wife_name": "Họ tên vợ",
    "wife_date_of_birth": "Ngày sinh của vợ",
    "wife_id_number": "Số định danh của vợ",
    "permanent_residence": "Nơi thường trú",
    "temporary_residence": "Nơi tạm trú",
    "current_residence": "Nơi ở hiện tại",
    "head_of_household": "Họ tên chủ hộ",
    "relationship_to_head": "Quan hệ với chủ hộ",
    "certificate_serial": "Số phát hành giấy chứng nhận",
    "holder_names": "Người sử dụng đất",
    "parcel_number": "Thửa đất số",
    "map_sheet_number": "Tờ bản đồ số",
    "parcel_address": "Địa chỉ thửa đất",
    "area_m2": "Diện tích (m²)",
    "land_use_purpose": "Mục đích sử dụng",
    "land_use_term": "Thời hạn sử dụng",
}

DOCUMENT_TYPE_LABELS: dict[str, str] = {
    "cccd_front": "Căn cước công dân – mặt trước",
    "cccd_back": "Căn cước công dân – mặt sau",
    "cancuoc_front": "Thẻ căn cước – mặt trước",
    "cancuoc_back": "Thẻ căn cước – mặt sau",
    "cmnd": "Chứng minh nhân dân",
    "birth_certificate": "Giấy khai sinh",
    "marriage_certificate": "Giấy chứng nhận kết hôn",
    "residence_confirmation": "Giấy xác nhận thông tin về cư trú (CT07)",
    "land_use_certificate": "Giấy chứng nhận quyền sử dụng đất",
    "unknown": "Giấy tờ chưa nhận dạng được",
}

SOURCE_LABELS: dict[str, str] = {
    "qr": "mã QR",
    "mrz": "vùng MRZ",
    "text_layer": "lớp chữ PDF",
    "ocr": "nhận dạng chữ",
    "clerk": "cán bộ nhập",
}

STATE_LABELS: dict[str, str] = {
    "extracted": "chưa kiểm tra",
    "confirmed": "đã xác nhận",
    "corrected": "đã sửa",
}

ACTION_LABELS: dict[str, str] = {
    "dossier.create": "Tạo hồ sơ",
    "dossier.status": "Đổi trạng thái hồ sơ",
    "dossier.read": "Xem dữ liệu cá nhân",
    "dossier.view": "Xem dữ liệu cá nhân",
    "document.upload": "Tải lên giấy tờ",
    "document.read": "Xem giấy tờ",
    "document.original": "Tải bản gốc",
    "document.reprocess": "Xử lý lại giấy tờ",
    "review.claim": "Nhận hồ sơ để kiểm tra",
    "review.release": "Trả hồ sơ về hàng chờ",
    "field.correct": "Sửa trường",
    "field.confirm": "Xác nhận trường",
    "dossier.approve": "Duyệt hồ sơ",
    "dossier.reject": "Từ chối hồ sơ",
}

PROCEDURES: list[tuple[str, str]] = [
    ("dang-ky-thuong-tru", "Đăng ký thường trú"),
    ("dang-ky-tam-tru", "Đăng ký tạm trú"),
    ("dang-ky-khai-sinh", "Đăng ký khai sinh"),
    ("dang-ky-ket-hon", "Đăng ký kết hôn"),
    ("chung-thuc-ban-sao", "Chứng thực bản sao từ bản chính"),
    ("dat-dai", "Thủ tục đất đai"),
    ("khac", "Thủ tục khác"),
]
"""Procedures the field team picks from; the portal sends its own codes."""


def field_label(key: str) -> str:
    if key.endswith("_2025"):
        base = FIELD_LABELS.get(key.removesuffix("_2025"), key.removesuffix("_2025"))
        return f"{base} (theo địa giới từ 1/7/2025)"
    return FIELD_LABELS.get(key, key)


def all_labels() -> dict[str, dict[str, str]]:
    return {
        "fields": FIELD_LABELS,
        "document_types": DOCUMENT_TYPE_LABELS,
        "sources": SOURCE_LABELS,
        "states": STATE_LABELS,
        "actions": ACTION_LABELS,
    }
